import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config';
import { AdminToken } from './access/adminToken';
import { openHistory } from './history/openHistory';
import { createRequestHandler, type AppHandler } from './http';
import { createLogger, type Logger } from './log';
import { RelayMetrics } from './metrics';
import { DiskUsage } from './persistence/DiskUsage';
import type { RoomStore } from './persistence/RoomStore';
import { SqliteStore } from './persistence/SqliteStore';
import type { RoomBus } from './redis/RoomBus';
import { DiskBudget } from './relay/DiskBudget';
import { attachRelay, type Relay } from './relay/Relay';
import { takeRelayLock } from './relayLock';

/** The built app: `build/` beside server/ when run from source, the folder above when compiled (build/server/main.js). */
const BUILD_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../build' : '..', import.meta.url));

/** A running server: the app, the relay, /healthz and /metrics on one port. */
export interface RunningServer {
	server: Server;
	relay: Relay;
	port: number;
	logger: Logger;
	/** Close connections, flush every room, close the store. */
	close(): Promise<void>;
}

/** Options that are not configuration: tests and benchmarks serve their own build. */
export interface StartOptions {
	/** The adapter-node output to serve; `build/` by default. */
	buildDir?: string;
}

async function loadApp(logger: Logger, buildDir: string): Promise<AppHandler | null> {
	const HANDLER = join(buildDir, 'handler.js');
	if (!existsSync(HANDLER)) {
		logger.warn({ path: HANDLER }, 'web app not built (run npm run build); serving the relay only');
		return null;
	}
	const module = (await import(pathToFileURL(HANDLER).href)) as { handler: AppHandler };
	return module.handler;
}

/** Start everything with a configuration (tests pass port 0). */
export async function startServer(config: Config = loadConfig(), options: StartOptions = {}): Promise<RunningServer> {
	const logger = createLogger(config.logLevel);
	// With REDIS_URL every room lives in Redis and is shared with the other relays (docs/SCALING.md);
	// otherwise in SQLite, with WAL checkpoints on a worker thread so they never stall the event loop.
	// Loaded only when used: the Redis client is the largest module of the server's start-up.
	const bus: RoomBus | null = config.redisUrl ? await (await import('./redis/RoomBus')).RoomBus.connect(config.redisUrl, logger, { heartbeatMs: config.heartbeatMs }) : null;
	// Versions of every room are taken as it is used, and served at /api/rooms/<id>/versions (docs/HISTORY.md).
	// The operator's token for the rooms CLI on this machine (docs/HISTORY.md); with Redis the CLI works on Redis itself.
	const admin = bus ? null : AdminToken.create(config.dataDir);
	const history = await openHistory(bus ? bus.store : SqliteStore.open(config.dataDir, { backgroundCheckpointMs: 100, logger }), { ...config, logger, admin: admin ?? undefined });
	const store: RoomStore = history.store;
	// Tells `npm run rooms -- restore-backup` that this directory is in use.
	const releaseLock = bus ? null : takeRelayLock(config.dataDir);
	const metrics = new RelayMetrics();
	metrics.collectProcessMetrics();
	const app = await loadApp(logger, options.buildDir ?? BUILD_DIR);
	// MAX_DISK_BYTES: stored bytes of the data directory, measured every second (docs/RELAY.md).
	const diskUsage = config.maxDiskBytes && !bus ? new DiskUsage(config.dataDir) : null;
	const diskBudget = diskUsage ? new DiskBudget(config.maxDiskBytes!, () => diskUsage.measure()) : undefined;
	const server = createServer();
	const relay = attachRelay(server, {
		store,
		logger,
		metrics,
		limits: config.limits,
		allowedOrigins: config.allowedOrigins,
		allowedHosts: config.allowedHosts,
		trustProxy: config.trustProxy,
		idleUnloadMs: config.idleUnloadMs,
		pingIntervalMs: config.pingIntervalMs,
		compactAfterUpdates: config.compactAfterUpdates,
		compactAfterBytes: config.compactAfterBytes,
		shared: bus ?? undefined,
		diskBudget,
		isAdmin: admin ? (request) => admin.allows(request) : undefined
	});
	server.on('request', createRequestHandler({ relay, app, allowedHosts: config.allowedHosts, history: history.api }));
	// Upgrades that are not the relay's have nobody to answer them.
	server.on('upgrade', (request, socket) => {
		if (!(request.url ?? '').startsWith('/sync/')) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	logger.info({ port, host: config.host, ...(bus ? { redis: redactUrl(config.redisUrl!), relayId: bus.relayId } : { dataDir: config.dataDir }) }, 'listening');
	return {
		server,
		relay,
		port,
		logger,
		async close() {
			server.close();
			await relay.close();
			diskBudget?.close();
			diskUsage?.close();
			await store.close();
			admin?.remove();
			releaseLock?.();
			await bus?.close();
			server.closeAllConnections();
		}
	};
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = '***';
	return parsed.toString();
}

/**
 * Everything the server writes is its own: the data directory 0700, its files 0600 (the
 * database, its WAL and the journal hold every room). The umask covers files made later.
 */
function keepDataPrivate(dataDir: string): void {
	process.umask(0o077);
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	chmodSync(dataDir, 0o700);
}

async function run(): Promise<void> {
	const config = loadConfig();
	if (!config.redisUrl) keepDataPrivate(config.dataDir);
	// BUILD_DIR serves another build of the app (the browser tests' private build in a child server).
	const running = await startServer(config, { buildDir: process.env.BUILD_DIR || undefined });
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) process.exit(1);
		stopping = true;
		running.logger.info({ signal }, 'shutting down');
		running.close().then(
			() => {
				running.logger.info('stopped');
				process.exit(0);
			},
			(error) => {
				running.logger.error({ err: error }, 'shutdown failed');
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	run().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
