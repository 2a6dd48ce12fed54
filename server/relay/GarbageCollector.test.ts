import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log';
import { RelayMetrics } from '../metrics';
import { MemoryStore } from '../persistence/MemoryStore';
import type { RoomStore } from '../persistence/RoomStore';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startRedisServer } from '../testing/redisServer';
import { startTestRelay } from '../testing/relayHarness';
import { connectRedis } from '../redis/connection';
import { startSharedRelay } from '../redis/sharedRelayHarness';
import { RedisStore } from '../persistence/RedisStore';
import { docOf } from '../testing/roomDoc';
import { GarbageCollector, RoomCollection } from './GarbageCollector';
import { MergeWorker } from './MergeWorker';
import { UNBOUNDED } from './protocol';
import { RoomLog } from './RoomLog';
import { SerialQueue } from './SerialQueue';
import { scanUpdate } from './updateScan';

const logger = createLogger('silent');
const collectors: GarbageCollector[] = [];
afterEach(async () => {
	for (const collector of collectors.splice(0)) await collector.close();
});

/** Updates a doc emits while `change` runs. */
function updatesOf(doc: Y.Doc, change: () => void): Uint8Array[] {
	const updates: Uint8Array[] = [];
	const record = (update: Uint8Array) => updates.push(update);
	doc.on('update', record);
	change();
	doc.off('update', record);
	return updates;
}

/** A room's log and collection as Room wires them: a real serial queue, a store that takes snapshots. */
function room(collector: GarbageCollector) {
	const id = 'room';
	const log = new RoomLog();
	log.load([], Uint8Array.of(0));
	const queue = new SerialQueue(logger);
	const store: RoomStore = new MemoryStore();
	let saves = 0;
	const collection = new RoomCollection(
		{
			id,
			log,
			logger,
			metrics: new RelayMetrics(),
			run: (task) => queue.run(task),
			save: async () => {
				const parts = [...log.parts];
				await store.saveSnapshot(id, parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), Date.now());
				log.snapshotted();
				saves++;
			}
		},
		collector
	);
	const append = (update: Uint8Array) => {
		const summary = scanUpdate(update, UNBOUNDED);
		expect(log.fit(summary)).toBe('complete');
		log.append(update, summary);
		collection.maybeStart();
	};
	return { id, log, store, collection, append, queue, saves: () => saves };
}

const contentOf = (parts: readonly Uint8Array[]) => {
	const doc = new Y.Doc();
	for (const part of parts) Y.applyUpdate(doc, part);
	return { text: doc.getText('t').toString(), list: doc.getArray('list').toJSON(), value: doc.getMap('m').get('value') };
};

describe('garbage collection of a room', () => {
	it('drops replaced content, and keeps every update accepted while it ran', async () => {
		const collector = new GarbageCollector(new MergeWorker(), { minBytes: 0 });
		collectors.push(collector);
		const { id, log, store, collection, append, saves } = room(collector);
		await store.claimRoom(id, new Uint8Array(32), 0);

		const alice = new Y.Doc();
		const big = 'x'.repeat(256 * 1024);
		const before = updatesOf(alice, () => {
			alice.getMap('m').set('value', `1:${big}`);
			alice.getMap('m').set('value', `2:${big}`);
			alice.getText('t').insert(0, 'hello');
		});
		// The second update deletes (replaces value 1): a collection starts there and runs in the
		// worker while the third and the next four are accepted.
		for (const update of before) append(update);
		const bob = new Y.Doc();
		for (const update of before) Y.applyUpdate(bob, update);
		const during = updatesOf(bob, () => {
			bob.getText('t').insert(5, ' world');
			bob.getArray('list').push([1, 2, 3]);
			bob.getText('t').delete(0, 1);
			bob.getMap('m').set('value', `3:${big}`);
		});
		for (const update of during) append(update);
		const expected = contentOf([...before, ...during]);

		await waitFor(() => saves() > 0, 20_000, 'the collection stored');
		// The collected state, then every update accepted while it ran, in order.
		expect(log.parts.slice(1)).toEqual([before[2], ...during]);
		expect(log.parts[0].byteLength).toBeLessThan(1.5 * big.length);
		expect(contentOf(log.parts)).toEqual(expected);
		expect(contentOf(await store.loadState(id))).toEqual(expected);
		expect(Y.decodeStateVector(log.stateVector())).toEqual(Y.decodeStateVector(Y.encodeStateVector(bob)));

		// Value 3 replaced value 2 while the first collection ran: the next one drops value 2 too.
		await collection.collectNow();
		const stored = await store.loadState(id);
		expect(contentOf(stored)).toEqual(expected);
		expect(stored.reduce((sum, part) => sum + part.byteLength, 0)).toBeLessThan(1.5 * big.length);
		expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(stored[0]))).toEqual(Y.decodeStateVector(Y.encodeStateVector(bob)));
		expect(log.size).toBeLessThan(1.5 * big.length);
	});

	it('a collection over its budget leaves the room as it is and backs off instead of retrying', async () => {
		let now = 0;
		// 1 ms: no collection can finish (starting the worker alone takes longer).
		const collector = new GarbageCollector(new MergeWorker({ timeMs: 1 }), { minBytes: 0, backoffMs: 60_000 }, () => now);
		collectors.push(collector);
		const { id, log, collection, append } = room(collector);
		const doc = new Y.Doc();
		const updates = updatesOf(doc, () => {
			doc.getMap('m').set('value', 'a'.repeat(10_000));
			doc.getMap('m').set('value', 'b');
		});
		for (const update of updates) append(update);
		const parts = [...log.parts];
		await collection.collectNow();
		expect(collector.backingOff(id)).toBe(true);
		expect(log.parts).toEqual(parts);
		expect(log.hasGarbage).toBe(true);
		// Not due, and no use waiting for it, until the backoff is over.
		expect(collector.due(id, log)).toBe(false);
		expect(collection.mayFree()).toBe(false);
		now += 60_001;
		expect(collector.due(id, log)).toBe(true);
		// A second failure doubles the wait.
		await collection.collectNow();
		now += 60_001;
		expect(collector.backingOff(id)).toBe(true);
		now += 60_000;
		expect(collector.backingOff(id)).toBe(false);
	});

	it('in a relay collecting at every update, two clients typing and deleting at once converge, and so does a fresh one', { timeout: 60_000 }, async () => {
		// Every update with a delete starts a collection: they run while the other client's updates arrive.
		const relay = await startTestRelay({ collection: { minBytes: 0, growth: 1 } });
		try {
			const { roomId, editKey } = await newRoom();
			const a = connectClient(relay.syncUrl, roomId, editKey);
			const b = connectClient(relay.syncUrl, roomId, editKey);
			await Promise.all([synced(a), synced(b)]);
			let seed = 12;
			const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
			for (let round = 0; round < 150; round++) {
				for (const client of [a, b]) {
					const text = client.doc.getText('t');
					if (text.length > 20 && random() < 0.5) text.delete(Math.floor(random() * (text.length - 10)), 1 + Math.floor(random() * 8));
					else text.insert(Math.floor(random() * (text.length + 1)), `${round}`.repeat(1 + Math.floor(random() * 50)));
				}
				if (round % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
			}
			await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 20_000, 'the two clients converging');
			const collected = async () => (await relay.relay.metrics.roomCollections.get()).values.find((value) => value.labels.result === 'collected')?.value ?? 0;
			// Typing goes on until several collections have been taken with updates arriving meanwhile.
			for (let round = 0; (await collected()) < 3; round++) {
				if (round > 2000) throw new Error('no collections');
				a.doc.getText('t').insert(0, 'ab');
				b.doc.getText('t').delete(b.doc.getText('t').length - 2, 2);
				await new Promise((resolve) => setTimeout(resolve, 2));
			}
			await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 20_000, 'the two clients converging after collections');
			const fresh = connectClient(relay.syncUrl, roomId, editKey);
			await synced(fresh, 20_000);
			await waitFor(() => fresh.doc.getText('t').toString() === a.doc.getText('t').toString(), 20_000, 'a fresh client converging');
			expect(docOf(relay.relay.rooms.get(roomId)).getText('t').toString()).toBe(a.doc.getText('t').toString());
			for (const provider of [a, b, fresh]) provider.destroy();
		} finally {
			await relay.close();
		}
	});

	it('with two relays sharing the room through Redis, collections lose nothing either', { timeout: 90_000 }, async () => {
		const redis = await startRedisServer();
		const relays = [await startSharedRelay(redis.url, { collection: { minBytes: 0, growth: 1 } }), await startSharedRelay(redis.url, { collection: { minBytes: 0, growth: 1 } })];
		try {
			const { roomId, editKey } = await newRoom();
			const a = connectClient(relays[0].syncUrl, roomId, editKey);
			const b = connectClient(relays[1].syncUrl, roomId, editKey);
			await Promise.all([synced(a), synced(b)]);
			const collected = async () => {
				let sum = 0;
				for (const { relay } of relays) sum += (await relay.metrics.roomCollections.get()).values.find((value) => value.labels.result === 'collected')?.value ?? 0;
				return sum;
			};
			for (let round = 0; (await collected()) < 3; round++) {
				if (round > 2000) throw new Error('no collections');
				a.doc.getText('t').insert(0, `a${round} `.repeat(5));
				b.doc.getText('t').insert(b.doc.getText('t').length, `b${round} `);
				if (b.doc.getText('t').length > 40) b.doc.getText('t').delete(10, 20);
				await new Promise((resolve) => setTimeout(resolve, 2));
			}
			await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 20_000, 'the two clients converging');
			const expected = a.doc.getText('t').toString();
			const fresh = connectClient(relays[1].syncUrl, roomId, editKey);
			await synced(fresh, 20_000);
			await waitFor(() => fresh.doc.getText('t').toString() === expected, 20_000, 'a fresh client converging');
			const raw = await connectRedis(redis.url, logger, 'test');
			const stored = await new RedisStore(raw).loadState(roomId);
			await raw.close();
			expect(contentOf(stored).text).toBe(expected);
			for (const provider of [a, b, fresh]) provider.destroy();
		} finally {
			for (const relay of relays) await relay.close();
			await redis.destroy();
		}
	});
});
