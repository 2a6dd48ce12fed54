import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../log';
import { connectRedis, type RedisConnection } from '../redis/connection';
import { waitFor } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { MemoryStore } from './MemoryStore';
import { RedisStore } from './RedisStore';
import { SqliteStore, databasePath } from './SqliteStore';
import { storeContractSuite } from './storeContract';
import { StoreUnavailableError } from './storeErrors';

storeContractSuite('memory', async () => ({ store: new MemoryStore(), close: async () => {} }));

storeContractSuite('SQLite, owning its data directory (journal)', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-contract-'));
	const store = SqliteStore.open(dir);
	return {
		store,
		close: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
});

storeContractSuite('SQLite, as a reader (the rooms CLI)', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-contract-'));
	const store = new SqliteStore(databasePath(dir));
	return {
		store,
		close: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
});

let redis: RedisServer;
let client: RedisConnection;
beforeAll(async () => {
	redis = await startRedisServer();
	client = await connectRedis(redis.url, createLogger('silent'), 'contract');
});
afterAll(async () => {
	await client?.close();
	await redis?.destroy();
});
storeContractSuite('Redis', async () => ({ store: new RedisStore(client), close: async () => {} }));

it('the Redis health check fails while Redis is down and passes once it is back', async () => {
	const own = await startRedisServer();
	const connection = await connectRedis(own.url, createLogger('silent'), 'health');
	try {
		const store = new RedisStore(connection);
		await expect(store.check()).resolves.toBeUndefined();
		await own.stop('SIGKILL');
		await expect(store.check()).rejects.toBeInstanceOf(StoreUnavailableError);
		await own.restart();
		await waitFor(() => connection.isReady, 10_000, 'reconnect');
		await expect(store.check()).resolves.toBeUndefined();
	} finally {
		await connection.close().catch(() => {});
		await own.destroy();
	}
});
