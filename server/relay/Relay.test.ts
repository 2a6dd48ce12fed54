import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';

let relay: TestRelay;
const providers: WebsocketProvider[] = [];
const client = (roomId: string, key: string | null, doc?: Y.Doc) => {
	const provider = connectClient(relay.syncUrl, roomId, key, doc);
	providers.push(provider);
	return provider;
};

beforeEach(async () => {
	relay = await startTestRelay();
});
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await relay.close();
});

describe('relay with stock y-websocket clients', () => {
	it('two clients converge, both ways, including concurrent edits', async () => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		const b = client(roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.doc.getText('t').insert(0, 'hello ');
		b.doc.getText('t').insert(0, 'world ');
		a.doc.getMap('m').set('x', 1);
		b.doc.getMap('m').set('y', 2);
		await waitFor(() => a.doc.getText('t').length === 12 && b.doc.getText('t').length === 12, 5000, 'text');
		await waitFor(() => a.doc.getMap('m').size === 2 && b.doc.getMap('m').size === 2, 5000, 'map');
		expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString());
		expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
	});

	it('a late joiner gets the state already there (stored before broadcast)', async () => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		await synced(a);
		for (let i = 0; i < 50; i++) a.doc.getArray<number>('a').push([i]);
		const b = client(roomId, editKey);
		await synced(b);
		await waitFor(() => b.doc.getArray('a').length === 50);
		const stored = await relay.store.loadState(roomId);
		const check = new Y.Doc();
		for (const update of stored) Y.applyUpdate(check, update);
		expect(check.getArray('a').length).toBe(50);
	});

	it('presence arrives, and leaves the moment a connection closes', async () => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		const b = client(roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.awareness.setLocalStateField('user', { name: 'Ada' });
		await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 5000, 'presence');
		const started = Date.now();
		a.destroy();
		await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), 5000, 'presence removed');
		// Far below awareness' 30 s timeout: removed on close, not on expiry.
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('an idle room leaves memory after the grace period and comes back from SQLite', async () => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		await synced(a);
		a.doc.getText('t').insert(0, 'kept');
		await waitFor(() => relay.relay.rooms.get(roomId)?.size !== 0);
		a.destroy();
		await waitFor(() => relay.relay.rooms.get(roomId) === undefined, 5000, 'unload');
		const record = await relay.store.getRoom(roomId);
		expect(record?.size).toBeGreaterThan(0);
		const b = client(roomId, editKey);
		await synced(b);
		expect(b.doc.getText('t').toString()).toBe('kept');
	});

	it('reports health and metrics', async () => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		await synced(a);
		a.doc.getText('t').insert(0, 'x');
		await waitFor(() => relay.relay.rooms.get(roomId)!.size > 0);
		const health = await (await fetch(`${relay.httpUrl}/healthz`)).json();
		expect(health).toMatchObject({ status: 'ok', rooms: 1, connections: 1 });
		const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text();
		for (const name of ['refinery_connections 1', 'refinery_rooms_loaded 1', 'refinery_messages_in_total', 'refinery_bytes_out_total', 'refinery_update_apply_seconds_bucket', 'refinery_persistence_write_seconds_bucket']) {
			expect(metrics).toContain(name);
		}
	});

	it('/healthz answers 503 when the store cannot be read', async () => {
		expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);
		await relay.store.close();
		const response = await fetch(`${relay.httpUrl}/healthz`);
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ status: 'unavailable' });
	});
});
