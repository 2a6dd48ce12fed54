import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../log';
import { connectRedis, type RedisConnection } from '../redis/connection';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { MemoryStore } from './MemoryStore';
import { RedisStore } from './RedisStore';
import { SqliteStore, databasePath } from './SqliteStore';
import { storeContractSuite } from './storeContract';

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
