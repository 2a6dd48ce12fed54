import { createClient, RESP_TYPES } from 'redis';
import type { Logger } from '../log';

/** Replies as Buffers: updates and key checks are binary, and strings are read with toString(). */
export const BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.SIMPLE_STRING]: Buffer } } as const;

export type RedisConnection = ReturnType<typeof createClient>;

/** REDIS_URL that this server cannot use. */
export class RedisUrlError extends Error {
	constructor(url: string) {
		super(`REDIS_URL=${JSON.stringify(url)} is not a redis:// or rediss:// URL`);
		this.name = 'RedisUrlError';
	}
}

/**
 * A connection that reconnects for ever (backoff up to 2 s) and refuses commands while it is
 * down instead of queueing them: a relay must know at once that an update was not stored, so
 * it can tell the sender (1011) rather than hold its memory and the room's queue for as long
 * as Redis is away.
 */
export async function connectRedis(url: string, logger: Logger, name: string, options: { reconnect?: boolean } = {}): Promise<RedisConnection> {
	if (!/^rediss?:\/\//.test(url)) throw new RedisUrlError(url);
	const client = createClient({
		url,
		name,
		disableOfflineQueue: true,
		socket: {
			reconnectStrategy: options.reconnect === false ? false : (retries: number) => Math.min(50 * 2 ** retries, 2000),
			connectTimeout: 5000
		}
	});
	let down = false;
	client.on('error', (error: Error) => {
		if (!down) logger.warn({ err: error, connection: name }, 'redis connection lost; reconnecting');
		down = true;
	});
	client.on('ready', () => {
		if (down) logger.info({ connection: name }, 'redis connection back');
		down = false;
	});
	await client.connect();
	return client;
}
