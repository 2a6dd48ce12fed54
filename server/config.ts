import { hostname } from 'node:os';
import { parseTrustProxy, TrustProxyError, type TrustProxy } from './access/clientAddress';
import { hostPolicy, type HostPolicy } from './access/host';
import type { OriginPolicy } from './access/origin';
import { DEFAULT_LIMITS, budgetLimits, type Limits } from './limits';

/** Everything the server reads from the environment. */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	logLevel: string;
	allowedOrigins: OriginPolicy;
	/** Host headers answered (DNS rebinding is refused): ALLOWED_HOSTS, PUBLIC_URL's host, IP literals and localhost. */
	allowedHosts: HostPolicy;
	/** Proxies believed about the client's address (X-Forwarded-For); null = none. */
	trustProxy: TrustProxy;
	/** Where people reach the app (`https://refinery.example`), for links and the Host and Origin checks. */
	publicUrl: string | null;
	limits: Limits;
	idleUnloadMs: number;
	pingIntervalMs: number;
	compactAfterUpdates: number;
	compactAfterBytes: number;
	/** Share rooms with other relay processes through this Redis; null = one machine, SQLite in dataDir. */
	redisUrl: string | null;
	/** Bytes the data directory may store (MAX_DISK_BYTES); null = no budget. One machine only (SQLite). */
	maxDiskBytes: number | null;
	/** With Redis: heartbeat period; a relay silent for three is taken for dead and its presence removed. */
	heartbeatMs: number;
}

/** An environment variable with a value the server cannot use. */
export class ConfigError extends Error {
	constructor(name: string, value: string) {
		super(`${name}=${JSON.stringify(value)} is not valid`);
		this.name = 'ConfigError';
	}
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
	const text = env[name];
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(name, text);
	return value;
}

/** `*` allows any origin; otherwise a comma-separated list of origins such as `https://refinery.example`. */
function origins(text: string | undefined): OriginPolicy {
	if (text === undefined || text.trim() === '') return [];
	if (text.trim() === '*') return '*';
	return text
		.split(',')
		.map((origin) => origin.trim())
		.filter(Boolean);
}

function publicUrl(text: string | undefined): string | null {
	if (text === undefined || text.trim() === '') return null;
	try {
		const url = new URL(text.trim());
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('PUBLIC_URL', text);
		return url.origin;
	} catch {
		throw new ConfigError('PUBLIC_URL', text);
	}
}

function trustProxy(text: string | undefined): TrustProxy {
	try {
		return parseTrustProxy(text);
	} catch (error) {
		if (error instanceof TrustProxyError) throw new ConfigError('TRUST_PROXY', text ?? '');
		throw error;
	}
}

function redisUrl(text: string | undefined): string | null {
	if (text === undefined || text.trim() === '') return null;
	if (!/^rediss?:\/\/[^\s]+$/.test(text.trim())) throw new ConfigError('REDIS_URL', text);
	return text.trim();
}

/** Read the configuration; every variable has a safe default (see docs/RELAY.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const host = env.HOST || '127.0.0.1';
	const publicOrigin = publicUrl(env.PUBLIC_URL);
	const allowedOrigins = origins(env.ALLOWED_ORIGINS);
	return {
		port: integer(env, 'PORT', 3000),
		host,
		dataDir: env.DATA_DIR || './data',
		logLevel: env.LOG_LEVEL || 'info',
		// The public origin is the app's own, whatever Host the proxy passes on.
		allowedOrigins: allowedOrigins !== '*' && publicOrigin ? [...allowedOrigins, publicOrigin] : allowedOrigins,
		allowedHosts: hostPolicy({ allowedHosts: env.ALLOWED_HOSTS, publicUrl: publicOrigin, listenHost: host, machineName: hostname() }),
		trustProxy: trustProxy(env.TRUST_PROXY),
		publicUrl: publicOrigin,
		limits: {
			maxFrameBytes: integer(env, 'MAX_FRAME_BYTES', DEFAULT_LIMITS.maxFrameBytes, 1024),
			maxDocBytes: integer(env, 'MAX_DOC_BYTES', DEFAULT_LIMITS.maxDocBytes, 1024),
			maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', DEFAULT_LIMITS.maxConnectionsPerAddress, 1),
			maxAttemptsPerMinute: integer(env, 'MAX_ATTEMPTS_PER_MINUTE', DEFAULT_LIMITS.maxAttemptsPerMinute, 1),
			maxRoomsInMemory: integer(env, 'MAX_ROOMS_IN_MEMORY', DEFAULT_LIMITS.maxRoomsInMemory, 1),
			...budgetLimits((name, fallback) => integer(env, name, fallback, 1))
		},
		idleUnloadMs: integer(env, 'IDLE_UNLOAD_MS', 30_000),
		pingIntervalMs: integer(env, 'PING_INTERVAL_MS', 30_000, 100),
		compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', 500, 1),
		compactAfterBytes: integer(env, 'COMPACT_AFTER_BYTES', 1024 * 1024, 1),
		redisUrl: redisUrl(env.REDIS_URL),
		maxDiskBytes: integer(env, 'MAX_DISK_BYTES', 0, 1) || null,
		heartbeatMs: integer(env, 'RELAY_HEARTBEAT_MS', 2000, 50)
	};
}
