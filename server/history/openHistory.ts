import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminToken } from '../access/adminToken';
import { createLogger, type Logger } from '../log';
import type { RoomStore } from '../persistence/RoomStore';
import { createHistoryApi } from './httpApi';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';
import { SqliteVersionStore } from './SqliteVersionStore';
import { VersioningStore } from './VersioningStore';
import { Versions } from './Versions';
import type { VersionStore } from './VersionStore';

/** History settings from the environment (docs/HISTORY.md). */
export interface HistoryConfig {
	quietMs: number;
	everyMs: number;
	retention: RetentionPolicy;
}

/** A history variable the server cannot use. */
export class HistoryConfigError extends Error {
	constructor(name: string, value: string) {
		super(`${name}=${JSON.stringify(value)} is not valid`);
		this.name = 'HistoryConfigError';
	}
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
	const text = env[name];
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < min) throw new HistoryConfigError(name, text);
	return value;
}

/** VERSION_QUIET_MS, VERSION_EVERY_MS, VERSION_KEEP_ALL_DAYS, VERSION_MAX_BYTES. */
export function historyConfig(env: NodeJS.ProcessEnv = process.env): HistoryConfig {
	return {
		quietMs: integer(env, 'VERSION_QUIET_MS', 10 * 60_000, 100),
		everyMs: integer(env, 'VERSION_EVERY_MS', 60 * 60_000, 1000),
		retention: {
			keepAllMs: integer(env, 'VERSION_KEEP_ALL_DAYS', 30, 0) * 86_400_000,
			maxBytes: integer(env, 'VERSION_MAX_BYTES', DEFAULT_RETENTION.maxBytes, 1024)
		}
	};
}

export interface History {
	/** The room store to give the relay: the given one, with versions taken as rooms are used. */
	store: VersioningStore;
	/** The history API's request handler: true when it answered the request. */
	api: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * Put history around a relay's store: versions in Redis when `redisUrl` is set (a connection of
 * their own, so every relay lists the same versions), else in `versions.db` in the data directory.
 * @example const history = await openHistory(store, { dataDir, redisUrl, logger })
 */
export async function openHistory(
	rooms: RoomStore,
	options: { dataDir: string; redisUrl: string | null; logger?: Logger; config?: HistoryConfig; admin?: AdminToken }
): Promise<History> {
	if (!options.redisUrl) return withHistory(rooms, SqliteVersionStore.open(options.dataDir), options);
	// Loaded only in Redis mode, as server/main.ts loads the relay's Redis side: the client is big.
	const [{ connectRedis }, { RedisVersionStore }] = await Promise.all([import('../redis/connection'), import('./RedisVersionStore')]);
	const client = await connectRedis(options.redisUrl, options.logger ?? createLogger('silent'), 'refinery-versions');
	const versionStore = new RedisVersionStore(client);
	versionStore.close = async () => void (await client.close());
	return withHistory(rooms, versionStore, options);
}

/** History around a store with versions in a given version store (dev mode: `SqliteVersionStore.open(dataDir)`). */
export function withHistory(rooms: RoomStore, versionStore: VersionStore, options: { logger?: Logger; config?: HistoryConfig; admin?: AdminToken } = {}): History {
	const config = options.config ?? historyConfig();
	const versions = new Versions(rooms, versionStore, { retention: config.retention, logger: options.logger });
	const store = new VersioningStore(rooms, versions, { quietMs: config.quietMs, everyMs: config.everyMs, logger: options.logger });
	return { store, api: createHistoryApi({ rooms, versions, logger: options.logger, admin: options.admin }) };
}
