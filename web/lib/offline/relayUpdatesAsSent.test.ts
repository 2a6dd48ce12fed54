import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../../../server/testing/clients';
import { syncProtocols } from '$shared/wire/subprotocol';
import { startTestRelay, type TestRelay } from '../../../server/testing/relayHarness';
import { passRelayUpdatesAsSent } from './relayUpdatesAsSent';
import { tapRelay, type RelayMessage } from './relayTap';

let relay: TestRelay | null = null;
afterEach(async () => {
	await relay?.close();
	relay = null;
});

/** A room on the relay holding `count` texts of 40 characters (about 100 bytes each on the wire). */
async function filledRoom(count: number): Promise<{ roomId: string; editKey: string; state: Uint8Array }> {
	const room = await newRoom();
	const doc = new Y.Doc();
	const writer = connectClient(relay!.syncUrl, room.roomId, room.editKey, doc);
	await synced(writer);
	const items = doc.getMap<Y.Text>('items');
	doc.transact(() => {
		for (let i = 0; i < count; i++) items.set(`item-${i}`, new Y.Text(`Item number ${i} with a forty-char title`.slice(0, 40)));
	});
	await new Promise((resolve) => setTimeout(resolve, 300));
	const state = Y.encodeStateAsUpdate(doc);
	writer.destroy();
	doc.destroy();
	return { ...room, state };
}

describe('passRelayUpdatesAsSent against the real relay', () => {
	test('update listeners get the relay’s large step 2 as it arrived, with the provider as origin and the transaction', async () => {
		relay = await startTestRelay();
		const room = await filledRoom(2000);
		const doc = new Y.Doc();
		const heard: { update: Uint8Array; origin: unknown; changed: boolean }[] = [];
		doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
			heard.push({ update, origin, changed: transaction.changed.size > 0 });
		});
		const provider = connectClient(relay.syncUrl, room.roomId, room.editKey, doc);
		const unpass = passRelayUpdatesAsSent(provider, doc);
		const sent: RelayMessage[] = [];
		const untap = tapRelay(provider, (message) => sent.push(message));
		try {
			await synced(provider);
			const step2 = sent.find((message) => message.kind === 'step2');
			expect(step2 && step2.kind === 'step2' && step2.update.byteLength).toBeGreaterThan(64 * 1024);
			const large = heard.filter((entry) => entry.update.byteLength > 64 * 1024);
			expect(large).toHaveLength(1);
			// The very bytes the relay sent (a view of the received message), not an encoding made here.
			const received = step2!.kind === 'step2' ? step2!.update : new Uint8Array();
			expect(large[0].update).toEqual(received);
			expect(large[0].update.buffer).toBe(received.buffer);
			expect(large[0].origin).toBe(provider);
			expect(large[0].changed).toBe(true);
			// What a listener stored (IndexedDB's copy) rebuilds the room.
			const copy = new Y.Doc();
			Y.applyUpdate(copy, large[0].update);
			expect(copy.getMap('items').size).toBe(2000);
			expect(doc.getMap('items').size).toBe(2000);
			// Small updates, and this device's own changes, reach the listeners as before.
			const before = heard.length;
			doc.getMap<Y.Text>('items').get('item-1')!.insert(0, '!');
			expect(heard.length).toBe(before + 1);
			expect(heard[before].origin).toBe(null);
			await waitFor(() => sent.some((message) => message.kind === 'update'), 5000, 'the echo');
			unpass();
		} finally {
			untap();
			provider.destroy();
			doc.destroy();
		}
	});

	test('a large update the document already holds reaches no listener', async () => {
		relay = await startTestRelay();
		const room = await filledRoom(2000);
		const doc = new Y.Doc();
		// This device already has the room (say from its IndexedDB copy).
		Y.applyUpdate(doc, room.state);
		let heard = 0;
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== null) heard++;
		});
		// Offering `fresh`, so the relay sends the whole room, all of which this device holds.
		const provider = new WebsocketProvider(relay.syncUrl, room.roomId, doc, {
			protocols: syncProtocols(room.editKey, { fresh: true }),
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true
		});
		const unpass = passRelayUpdatesAsSent(provider, doc);
		const sent: RelayMessage[] = [];
		const untap = tapRelay(provider, (message) => sent.push(message));
		try {
			await synced(provider);
			expect(sent.some((message) => message.kind !== 'step1' && message.update.byteLength > 64 * 1024)).toBe(true);
			expect(heard).toBe(0);
			untap();
		} finally {
			unpass();
			provider.destroy();
			doc.destroy();
		}
	});
});
