import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { main } from '../cli/rooms';
import { createLogger } from '../log';
import { connectRedis, type RedisConnection } from '../redis/connection';
import { roomKeys } from '../redis/keys';
import { newRoom } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { RedisStore } from './RedisStore';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let redis: RedisServer;
let client: RedisConnection;
let store: RedisStore;

beforeAll(async () => {
	redis = await startRedisServer();
	client = await connectRedis(redis.url, createLogger('silent'), 'test');
	store = new RedisStore(client);
});
afterAll(async () => {
	await client.close();
	await redis.destroy();
});

const check = (byte: number) => new Uint8Array(32).fill(byte);
const updateOf = (fn: (doc: Y.Doc) => void, doc = new Y.Doc()) => {
	let update!: Uint8Array;
	doc.once('update', (u: Uint8Array) => (update = u));
	fn(doc);
	return update;
};

describe('RedisStore', () => {
	it('claims a room once: a second claim gets the first key check back', async () => {
		const { roomId } = await newRoom();
		expect(await store.getRoom(roomId)).toBeNull();
		const first = await store.claimRoom(roomId, check(1), 1000);
		expect(first).toEqual({ id: roomId, keyCheck: check(1), createdAt: 1000, lastActive: 1000, size: 0 });
		const second = await store.claimRoom(roomId, check(2), 2000);
		expect(second.keyCheck).toEqual(check(1));
		expect(await store.getRoom(roomId)).toEqual(first);
	});

	it('logs updates in order and loads them back after the snapshot, which trims the log', async () => {
		const { roomId } = await newRoom();
		await store.claimRoom(roomId, check(1), 1);
		const doc = new Y.Doc();
		for (let i = 0; i < 5; i++) await store.appendUpdate(roomId, updateOf((d) => d.getArray('n').push([i]), doc));
		const loaded = await store.loadShared(roomId);
		expect(loaded.state).toHaveLength(5);
		const snapshot = Y.encodeStateAsUpdate(doc);
		expect(await store.compactUnderLock(roomId, () => ({ state: snapshot, through: loaded.through, size: snapshot.byteLength }))).toBe(true);
		await store.appendUpdate(roomId, updateOf((d) => d.getArray('n').push([5]), doc));
		const after = await store.loadShared(roomId);
		expect(after.state).toHaveLength(2);
		expect(Number(await client.xLen(roomKeys(roomId).log))).toBe(1);
		const check2 = new Y.Doc();
		for (const update of after.state) Y.applyUpdate(check2, update);
		expect(check2.getArray('n').toArray()).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('compacts only under the lock, and never back to an older snapshot', async () => {
		const { roomId } = await newRoom();
		await store.claimRoom(roomId, check(1), 1);
		const doc = new Y.Doc();
		await store.appendUpdate(roomId, updateOf((d) => d.getText('t').insert(0, 'a'), doc));
		const { through } = await store.loadShared(roomId);
		// Another relay holds the lock.
		await client.set(roomKeys(roomId).lock, 'someone-else', { PX: 5000 });
		expect(await store.compactUnderLock(roomId, () => ({ state: Y.encodeStateAsUpdate(doc), through, size: 1 }))).toBe(false);
		await client.del(roomKeys(roomId).lock);
		expect(await store.compactUnderLock(roomId, () => ({ state: Y.encodeStateAsUpdate(doc), through, size: 1 }))).toBe(true);
		// A relay that is behind (an older position) cannot replace it.
		expect(await store.compactUnderLock(roomId, () => ({ state: new Uint8Array([0, 0]), through: '1-0', size: 1 }))).toBe(false);
		expect(await client.exists(roomKeys(roomId).lock)).toBe(0);
		const again = new Y.Doc();
		for (const update of await store.loadState(roomId)) Y.applyUpdate(again, update);
		expect(again.getText('t').toString()).toBe('a');
	});

	it('refuses writes to a deleted room instead of bringing it back half-registered', async () => {
		const { roomId } = await newRoom();
		await store.claimRoom(roomId, check(1), 1);
		expect(await store.deleteRoom(roomId)).toBe(true);
		expect(await store.deleteRoom(roomId)).toBe(false);
		await expect(store.appendUpdate(roomId, updateOf((d) => d.getText('t').insert(0, 'x')))).rejects.toThrow(/NOROOM/);
		await store.touchRoom(roomId, 5, 5);
		expect(await store.getRoom(roomId)).toBeNull();
		expect(await client.exists(roomKeys(roomId).log)).toBe(0);
	});

	it('lists rooms by last activity, newest first', async () => {
		const [a, b] = [await newRoom(), await newRoom()];
		await store.claimRoom(a.roomId, check(1), 10);
		await store.claimRoom(b.roomId, check(1), 20);
		await store.touchRoom(a.roomId, 30, 99);
		const ids = (await store.listRooms()).map((room) => room.id);
		expect(ids.indexOf(a.roomId)).toBeLessThan(ids.indexOf(b.roomId));
		expect((await store.getRoom(a.roomId))?.size).toBe(99);
	});
});

describe('npm run rooms with REDIS_URL', () => {
	it('lists, exports and deletes rooms held in Redis', async () => {
		const { roomId } = await newRoom();
		await store.claimRoom(roomId, check(3), 1);
		await store.appendUpdate(roomId, updateOf((d) => d.getMap('meta').set('name', 'Shared room')));
		const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', 'list'], {
			cwd: ROOT,
			env: { ...process.env, REDIS_URL: redis.url, DATA_DIR: '/nonexistent/refinery' }
		});
		expect(stdout).toContain(roomId);
		let out = '';
		const io = { dataDir: '/nonexistent', redisUrl: redis.url, out: (t: string) => (out += t), err: () => {} };
		expect(await main(['export', roomId, '--format', 'json'], io)).toBe(0);
		expect(JSON.parse(out).format).toBe('refinery.room');
		expect(await main(['delete', roomId], io)).toBe(0);
		expect(await store.getRoom(roomId)).toBeNull();
		expect(await main(['list'], { ...io, redisUrl: 'redis://127.0.0.1:1' })).toBe(1);
	});
});
