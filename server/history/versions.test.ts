import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log';
import { SqliteStore } from '../persistence/SqliteStore';
import { RedisStore } from '../persistence/RedisStore';
import type { RoomStore } from '../persistence/RoomStore';
import { connectRedis, type RedisConnection } from '../redis/connection';
import { newRoom } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { gunzipSync } from 'node:zlib';
import { createItem, setStatus } from '../../shared/items';
import { decodeRoomState } from '../../shared/history/plainState';
import { readRoomState } from '../../shared/history/roomState';
import { localOrigin } from '../../shared/origins';
import { PlainStateWorker } from './PlainStateWorker';
import { RedisVersionStore } from './RedisVersionStore';
import { versionsToDrop } from './retention';
import { SqliteVersionStore } from './SqliteVersionStore';
import { inspectState } from './versionState';
import { VersioningStore } from './VersioningStore';
import { Versions } from './Versions';
import type { VersionStore } from './VersionStore';

const DAY = 86_400_000;
const me = localOrigin('me');

function edits(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
	let update!: Uint8Array;
	doc.once('update', (u: Uint8Array) => (update = u));
	fn(doc);
	return update;
}

describe('inspectState', () => {
	it('tells a whole state from one waiting on missing updates, and fingerprints deletions', () => {
		const doc = new Y.Doc();
		const first = edits(doc, (d) => d.getMap('items').set('a', 'x'));
		const second = edits(doc, (d) => d.getArray('ranks').push(['a']));
		const third = edits(doc, (d) => d.getMap('items').delete('a'));
		expect(inspectState(Y.mergeUpdates([first, second])).pending).toBe(false);
		// A client's later update alone leaves a gap before it.
		expect(inspectState(second).pending).toBe(true);
		const other = new Y.Doc();
		Y.applyUpdate(other, first);
		const dependent = edits(other, (d) => d.getMap('items').set('a', 'y'));
		expect(inspectState(dependent).pending).toBe(true);
		expect(inspectState(Y.mergeUpdates([first, dependent])).pending).toBe(false);
		// A deletion of what the state does not hold.
		expect(inspectState(Y.mergeUpdates([second, third])).pending).toBe(true);
		const whole = Y.mergeUpdates([first, second]);
		const wiped = Y.mergeUpdates([first, second, third]);
		expect(inspectState(whole).fingerprint).toBe(inspectState(Y.mergeUpdates([first, second])).fingerprint);
		expect(inspectState(wiped).fingerprint).not.toBe(inspectState(whole).fingerprint);
		expect(inspectState(Y.encodeStateAsUpdate(doc)).fingerprint).toBe(inspectState(wiped).fingerprint);
	});
});

describe('versionsToDrop', () => {
	const version = (id: number, takenAt: number, size = 10) => ({ id, takenAt, reason: 'quiet' as const, name: null, size });
	it('keeps every version of the last 30 days, then the newest of each week', () => {
		const now = 400 * DAY;
		const versions = Array.from({ length: 60 }, (_, i) => version(i + 1, now - (60 - i) * DAY));
		const drop = new Set(versionsToDrop(versions, now, { keepAllMs: 30 * DAY, maxBytes: 1e9 }));
		const kept = versions.filter((v) => !drop.has(v.id));
		// Ages 1 to 29 days.
		expect(kept.filter((v) => now - v.takenAt < 30 * DAY)).toHaveLength(29);
		const weeks = kept.filter((v) => now - v.takenAt >= 30 * DAY).map((v) => Math.floor(v.takenAt / (7 * DAY)));
		expect(new Set(weeks).size).toBe(weeks.length);
		expect(weeks.length).toBeGreaterThanOrEqual(4);
	});
	it('drops the oldest while a room passes its byte budget, never the newest', () => {
		const versions = [version(1, 1, 100), version(2, 2, 100), version(3, 3, 500)];
		expect(versionsToDrop(versions, 10, { keepAllMs: DAY, maxBytes: 250 })).toEqual([1, 2]);
	});
});

let redis: RedisServer;
let client: RedisConnection;
const dirs: string[] = [];
/** One worker for the file: starting one (with tsx) takes a moment on a loaded machine. */
const plainStates = new PlainStateWorker();
beforeAll(async () => {
	redis = await startRedisServer();
	client = await connectRedis(redis.url, createLogger('silent'), 'versions-test');
});
afterAll(async () => {
	await plainStates.close();
	await client.close();
	await redis.destroy();
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const kinds: [string, () => { rooms: RoomStore; versions: VersionStore }][] = [
	[
		'SQLite',
		() => {
			const dir = mkdtempSync(join(tmpdir(), 'refinery-versions-'));
			dirs.push(dir);
			return { rooms: SqliteStore.open(dir), versions: SqliteVersionStore.open(dir) };
		}
	],
	['Redis', () => ({ rooms: new RedisStore(client), versions: new RedisVersionStore(client) })]
];

describe.each(kinds)('versions in %s', (_name, open) => {
	it('takes whole versions, skips unchanged ones unless asked by hand, lists newest first, reads them back', async () => {
		const { rooms, versions: store } = open();
		const versions = new Versions(rooms, store, { plainStates });
		const { roomId } = await newRoom();
		expect(await versions.take(roomId, 'manual')).toEqual({ taken: false, reason: 'unknown-room' });
		await rooms.claimRoom(roomId, new Uint8Array(32), 1);
		expect(await versions.take(roomId, 'quiet')).toEqual({ taken: false, reason: 'empty' });
		const doc = new Y.Doc();
		await rooms.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').set('a', 1)));
		await rooms.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').set('b', 2)));
		const first = await versions.take(roomId, 'quiet');
		expect(first.taken).toBe(true);
		const again = await versions.take(roomId, 'hourly');
		expect(again).toMatchObject({ taken: false, reason: 'unchanged' });
		const named = await versions.take(roomId, 'manual', 'Before planning');
		expect(named).toMatchObject({ taken: true, version: { name: 'Before planning', reason: 'manual' } });
		await rooms.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').delete('a')));
		const wiped = await versions.take(roomId, 'before-restore');
		expect(wiped.taken).toBe(true);
		const list = await versions.list(roomId);
		expect(list.map((v) => v.reason)).toEqual(['before-restore', 'manual', 'quiet']);
		const restored = new Y.Doc();
		Y.applyUpdate(restored, (await versions.read(roomId, list[2].id))!);
		expect(restored.getMap('items').toJSON()).toEqual({ a: 1, b: 2 });
		expect(await versions.read(roomId, 999_999)).toBeNull();
		await versions.removeRoom(roomId);
		expect(await versions.list(roomId)).toEqual([]);
	});

	it('never keeps a version of a state that waits on missing updates', async () => {
		const { rooms, versions: store } = open();
		const versions = new Versions(rooms, store, { logger: createLogger('silent'), plainStates });
		const { roomId } = await newRoom();
		await rooms.claimRoom(roomId, new Uint8Array(32), 1);
		const doc = new Y.Doc();
		edits(doc, (d) => d.getMap('items').set('a', 1));
		await rooms.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').set('a', 2)));
		expect(await versions.take(roomId, 'manual')).toEqual({ taken: false, reason: 'pending' });
		expect(await versions.list(roomId)).toEqual([]);
	});

	it('versions a room once it has been quiet after edits, and at least hourly while edited; deleting the room deletes them', async () => {
		const { rooms, versions: store } = open();
		let now = 1_000_000;
		const versioning = new VersioningStore(rooms, new Versions(rooms, store, { now: () => now, plainStates }), { quietMs: 600_000, everyMs: 3_600_000, tickMs: 3_600_000, now: () => now });
		const { roomId } = await newRoom();
		await versioning.claimRoom(roomId, new Uint8Array(32), 1);
		const doc = new Y.Doc();
		// Editing every five minutes for an hour and a half: one hourly version.
		for (let minute = 0; minute <= 90; minute += 5) {
			now = 1_000_000 + minute * 60_000;
			await versioning.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').set('a', minute)));
			await versioning.tick();
		}
		expect((await versioning.versions.list(roomId)).map((v) => v.reason)).toEqual(['hourly']);
		now += 9 * 60_000;
		await versioning.tick();
		expect(await versioning.versions.list(roomId)).toHaveLength(1);
		now += 60_000;
		await versioning.tick();
		const list = await versioning.versions.list(roomId);
		expect(list.map((v) => v.reason)).toEqual(['quiet', 'hourly']);
		const last = new Y.Doc();
		Y.applyUpdate(last, (await versioning.versions.read(roomId, list[0].id))!);
		expect(last.getMap('items').get('a')).toBe(90);
		// Quiet and nothing new: no more versions.
		now += 3_600_000;
		await versioning.tick();
		expect(await versioning.versions.list(roomId)).toHaveLength(2);
		expect(await versioning.deleteRoom(roomId)).toBe(true);
		expect(await versioning.versions.list(roomId)).toEqual([]);
	});

	it('keeps the plain state beside each version, and makes one once for a version kept without it', async () => {
		const { rooms, versions: store } = open();
		const versions = new Versions(rooms, store, { plainStates });
		const { roomId } = await newRoom();
		await rooms.claimRoom(roomId, new Uint8Array(32), 1);
		const doc = new Y.Doc();
		await rooms.appendUpdate(roomId, edits(doc, (d) => createItem(d, { id: 'a', title: 'Login', labels: ['auth'] }, me)));
		await rooms.appendUpdate(roomId, edits(doc, (d) => setStatus(d, 'a', 'ready', me)));
		const taken = await versions.take(roomId, 'quiet');
		if (!taken.taken) throw new Error('not taken');
		const plainOf = async (id: number) => decodeRoomState(JSON.parse(gunzipSync((await versions.readPlain(roomId, id))!).toString('utf8')));
		expect(await plainOf(taken.version.id)).toEqual(readRoomState(doc));
		// Its plain state counts in the version's size (and so in the room's budget).
		expect(taken.version.size).toBe((await store.read(roomId, taken.version.id))!.byteLength + (await versions.readPlain(roomId, taken.version.id))!.byteLength);

		// A version stored before plain states were kept gets one when first read, and keeps it.
		const old = await store.add(roomId, { takenAt: 2, reason: 'manual', name: null, fingerprint: 'old', state: (await store.read(roomId, taken.version.id))!, plain: null });
		expect((await store.readPlain(roomId, old.id))!.plain).toBeNull();
		expect(await plainOf(old.id)).toEqual(readRoomState(doc));
		expect((await store.readPlain(roomId, old.id))!.plain).not.toBeNull();
		expect((await versions.list(roomId)).find((v) => v.id === old.id)!.size).toBeGreaterThan(old.size);
		expect(await versions.readPlain(roomId, 999_999)).toBeNull();
	});

	it('keeps no plain state for a room over the budget, and says so rather than trying again', async () => {
		const { rooms, versions: store } = open();
		const tiny = new PlainStateWorker({ maxJsonBytes: 200 });
		const versions = new Versions(rooms, store, { plainStates: tiny, logger: createLogger('silent') });
		try {
			const { roomId } = await newRoom();
			await rooms.claimRoom(roomId, new Uint8Array(32), 1);
			const doc = new Y.Doc();
			await rooms.appendUpdate(roomId, edits(doc, (d) => createItem(d, { id: 'a', title: 'x'.repeat(300) }, me)));
			const taken = await versions.take(roomId, 'manual');
			expect(taken.taken).toBe(true);
			if (!taken.taken) return;
			expect((await versions.readPlain(roomId, taken.version.id))!.byteLength).toBe(0);
			// The version itself is whole and restorable.
			expect((await versions.read(roomId, taken.version.id))!.byteLength).toBeGreaterThan(300);
		} finally {
			await tiny.close();
		}
	});
});

describe('two relays holding one room in Redis', () => {
	it('version the same state once when both see it go quiet (or an hour pass) at the same moment', async () => {
		const other = await connectRedis(redis.url, createLogger('silent'), 'versions-test-2');
		let now = 1_000_000;
		// Each relay's own store and versioning, on its own connection, as server/main.ts builds them.
		const relays = [client, other].map((connection) => {
			const rooms = new RedisStore(connection);
			const versions = new Versions(rooms, new RedisVersionStore(connection), { plainStates, now: () => now });
			return new VersioningStore(rooms, versions, { quietMs: 600_000, everyMs: 3_600_000, tickMs: 3_600_000, now: () => now });
		});
		try {
			const { roomId } = await newRoom();
			await relays[0].claimRoom(roomId, new Uint8Array(32), 1);
			const doc = new Y.Doc();
			for (let meeting = 1; meeting <= 3; meeting++) {
				// People on both relays edit; the relays' timers then fire together.
				for (const relay of relays) await relay.appendUpdate(roomId, edits(doc, (d) => d.getMap('items').set(`m${meeting}`, relays.indexOf(relay))));
				now += 600_000;
				await Promise.all(relays.map((relay) => relay.tick()));
				expect(await relays[1].versions.list(roomId)).toHaveLength(meeting);
			}
		} finally {
			await other.close();
		}
	});
});
