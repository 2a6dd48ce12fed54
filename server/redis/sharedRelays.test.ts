import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { connectRedis } from './connection';
import { createLogger } from '../log';
import { roomKeys } from './keys';
import { RedisStore } from '../persistence/RedisStore';
import { docOf } from '../testing/roomDoc';
import { startSharedRelay, type SharedTestRelay } from './sharedRelayHarness';

let redis: RedisServer;
const relays: SharedTestRelay[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	await redis.destroy();
});
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await Promise.all(relays.splice(0).map((relay) => relay.close()));
});

async function relay(options?: Parameters<typeof startSharedRelay>[1]) {
	const started = await startSharedRelay(redis.url, options);
	relays.push(started);
	return started;
}
function client(at: SharedTestRelay, roomId: string, key: string, doc?: Y.Doc) {
	const provider = connectClient(at.syncUrl, roomId, key, doc);
	providers.push(provider);
	return provider;
}
const text = (provider: WebsocketProvider) => provider.doc.getText('t').toString();

describe('relays sharing rooms through Redis (in one process)', () => {
	it('updates from clients of one relay reach the clients of the other, both ways', async () => {
		const [r1, r2] = [await relay(), await relay()];
		const { roomId, editKey } = await newRoom();
		const a = client(r1, roomId, editKey);
		const b = client(r2, roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.doc.getText('t').insert(0, 'from a ');
		b.doc.getText('t').insert(0, 'from b ');
		await waitFor(() => text(a).length === 14 && text(b).length === 14, 5000, 'both edits on both sides');
		expect(text(a)).toBe(text(b));
	});

	it('the room registry is shared: a wrong key is refused on the other relay, a view key works there', async () => {
		const [r1, r2] = [await relay(), await relay()];
		const { roomId, editKey, viewKey } = await newRoom();
		const a = client(r1, roomId, editKey);
		await synced(a);
		a.doc.getText('t').insert(0, 'hello');
		const viewer = client(r2, roomId, viewKey);
		await waitFor(() => text(viewer) === 'hello', 5000, 'viewer on the other relay');
		const intruder = client(r2, roomId, (await newRoom()).editKey);
		const closed = new Promise<number>((resolve) => intruder.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
		expect(await closed).toBe(4403);
	});

	it('presence crosses relays and leaves everywhere the moment a connection closes', async () => {
		const [r1, r2] = [await relay(), await relay()];
		const { roomId, editKey } = await newRoom();
		const a = client(r1, roomId, editKey);
		const b = client(r2, roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.awareness.setLocalStateField('user', { name: 'Ada' });
		b.awareness.setLocalStateField('user', { name: 'Bob' });
		await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 5000, 'Ada seen by Bob');
		await waitFor(() => a.awareness.getStates().get(b.doc.clientID)?.user?.name === 'Bob', 5000, 'Bob seen by Ada');
		// A latecomer on the second relay gets presence that lives on the first.
		const c = client(r2, roomId, editKey);
		await synced(c);
		await waitFor(() => c.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 5000, 'Ada seen by the latecomer');
		const started = Date.now();
		a.destroy();
		await waitFor(() => !b.awareness.getStates().has(a.doc.clientID) && !c.awareness.getStates().has(a.doc.clientID), 5000, 'Ada gone');
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('a client that moves to another relay is present again at once, not after its next renewal', async () => {
		const [r1, r2] = [await relay(), await relay()];
		const { roomId, editKey } = await newRoom();
		const mover = client(r1, roomId, editKey);
		const observer = client(r2, roomId, editKey);
		await Promise.all([synced(mover), synced(observer)]);
		mover.awareness.setLocalStateField('user', { name: 'Mo' });
		await waitFor(() => observer.awareness.getStates().has(mover.doc.clientID), 5000, 'presence');
		mover.disconnect();
		await waitFor(() => !observer.awareness.getStates().has(mover.doc.clientID), 5000, 'removed on leaving');
		// Back through the other relay, announcing the clock it had: every peer has seen it removed
		// at a newer one, so the relay has to make it re-announce (y-protocols ignores it otherwise).
		mover.serverUrl = r2.syncUrl;
		mover.connect();
		await synced(mover);
		const started = Date.now();
		await waitFor(() => observer.awareness.getStates().get(mover.doc.clientID)?.user?.name === 'Mo', 5000, 'present again');
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('compacts under a lock: the log stays short and nothing is lost, with writers on both relays', async () => {
		const [r1, r2] = [await relay({ compactAfterUpdates: 20 }), await relay({ compactAfterUpdates: 20 })];
		const { roomId, editKey } = await newRoom();
		const a = client(r1, roomId, editKey);
		const b = client(r2, roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		for (let i = 0; i < 150; i++) (i % 2 ? a : b).doc.getArray<number>('n').push([i]);
		await waitFor(() => a.doc.getArray('n').length === 150 && b.doc.getArray('n').length === 150, 10_000, 'all pushes');
		await new Promise((resolve) => setTimeout(resolve, 300));
		const { state } = await r1.bus.load(roomId);
		expect(state.length).toBeLessThan(60);
		const check = new Y.Doc();
		for (const update of state) Y.applyUpdate(check, update);
		expect(check.getArray<number>('n').toArray().sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, i) => i));
	});

	it('an entry that arrives before one it depends on does not stay pending: the room reloads the log', async () => {
		const r1 = await relay();
		const { roomId, editKey } = await newRoom();
		const a = client(r1, roomId, editKey);
		await synced(a);
		// u1, then u2 that builds on it, made elsewhere. u1 reaches the log without being published
		// (as if its publication were missed); u2 is appended and published the normal way.
		const elsewhere = new Y.Doc();
		const updates: Uint8Array[] = [];
		elsewhere.on('update', (update: Uint8Array) => updates.push(update));
		elsewhere.getText('t').insert(0, 'first ');
		elsewhere.getText('t').insert(6, 'second');
		const raw = await connectRedis(redis.url, createLogger('silent'), 'test');
		await raw.sendCommand(['XADD', roomKeys(roomId).log, '*', 'u', Buffer.from(updates[0])]);
		await new RedisStore(raw).appendUpdate(roomId, updates[1]);
		await raw.close();
		await waitFor(() => text(a) === 'first second', 5000, 'both updates at the client');
		const doc = docOf(r1.relay.rooms.get(roomId));
		expect(doc.store.pendingStructs).toBeNull();
		expect(doc.getText('t').toString()).toBe('first second');
	});
});
