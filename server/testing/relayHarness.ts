import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestHandler } from '../http';
import { createLogger } from '../log';
import { SqliteStore } from '../persistence/SqliteStore';
import { attachRelay, type Relay, type RelayOptions } from '../relay/Relay';

/** A relay on port 0 in this process, on a real SQLite file in a temporary directory. */
export interface TestRelay {
	server: Server;
	relay: Relay;
	store: SqliteStore;
	dataDir: string;
	port: number;
	/** `ws://127.0.0.1:<port>/sync`, the origin a WebsocketProvider is given. */
	syncUrl: string;
	httpUrl: string;
	/** Stop the relay (flushing rooms); keeps the data directory unless `remove`. */
	close(options?: { remove?: boolean }): Promise<void>;
}

/** A fresh temporary data directory. */
export function tempDataDir(): string {
	return mkdtempSync(join(tmpdir(), 'refinery-relay-'));
}

/** A relay listening on port 0 of loopback, and where to reach it. */
export interface ListeningRelay {
	server: Server;
	relay: Relay;
	port: number;
	/** `ws://127.0.0.1:<port>/sync`, the origin a WebsocketProvider is given. */
	syncUrl: string;
	httpUrl: string;
}

/**
 * Attach a relay to a new HTTP server on 127.0.0.1:0 with test-friendly defaults (quick unload,
 * generous per-address limits, silent logs unless TEST_LOG_LEVEL); `options` override them.
 */
export async function listenRelay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store'>): Promise<ListeningRelay> {
	const server = createServer();
	const relay = attachRelay(server, {
		logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
		idleUnloadMs: 200,
		...options,
		limits: { maxConnectionsPerAddress: 1000, maxAttemptsPerMinute: 100_000, ...options.limits }
	});
	server.on('request', createRequestHandler({ relay, app: null, allowedHosts: options.allowedHosts }));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { server, relay, port, syncUrl: `ws://127.0.0.1:${port}/sync`, httpUrl: `http://127.0.0.1:${port}` };
}

/** Start a relay in this process on SQLite; options override test-friendly defaults. */
export async function startTestRelay(options: Partial<RelayOptions> & { dataDir?: string } = {}): Promise<TestRelay> {
	const dataDir = options.dataDir ?? tempDataDir();
	const store = SqliteStore.open(dataDir, { backgroundCheckpointMs: 100 });
	const { server, relay, port, syncUrl, httpUrl } = await listenRelay({ ...options, store });
	let closed = false;
	return {
		server,
		relay,
		store,
		dataDir,
		port,
		syncUrl,
		httpUrl,
		async close({ remove = true } = {}) {
			if (closed) return;
			closed = true;
			server.close();
			await relay.close();
			await store.close();
			server.closeAllConnections();
			if (remove) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
