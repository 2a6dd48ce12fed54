import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectClient, newRoom, synced, waitFor } from '../../../server/testing/clients';
import { startTestRelay, type TestRelay } from '../../../server/testing/relayHarness';
import { syncProtocols } from '$shared/wire/subprotocol';
import { dropEarlySocket, EarlyOrNewSocket, openEarlySocket } from './earlySocket';

let relay: TestRelay;
const opened: WebSocket[] = [];
/** Node's `ws`, counting the sockets made (the early one and any the provider makes). */
class CountedSocket extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols);
		opened.push(this);
	}
}
const NodeSocket = CountedSocket as unknown as typeof globalThis.WebSocket;

beforeEach(async () => {
	relay = await startTestRelay();
	// What a provider constructs when it takes no early socket.
	(globalThis as { WebSocket?: unknown }).WebSocket = NodeSocket;
});

afterEach(async () => {
	dropEarlySocket();
	opened.length = 0;
	delete (globalThis as { WebSocket?: unknown }).WebSocket;
	await relay.close();
});

async function roomWithItem(): Promise<{ roomId: string; editKey: string }> {
	const room = await newRoom();
	const doc = new Y.Doc();
	const writer = connectClient(relay.syncUrl, room.roomId, room.editKey, doc);
	await synced(writer);
	doc.getMap('items').set('a', 'Written before anyone else came');
	await new Promise((resolve) => setTimeout(resolve, 200));
	writer.destroy();
	return room;
}

function provider(roomId: string, protocols: string[], doc: Y.Doc): WebsocketProvider {
	return new WebsocketProvider(relay.syncUrl, roomId, doc, { protocols, WebSocketPolyfill: EarlyOrNewSocket, disableBc: true, maxBackoffTime: 200 });
}

describe('the early socket against the real relay', () => {
	test('the provider takes the socket opened before it, with the room that arrived meanwhile: one connection', async () => {
		const room = await roomWithItem();
		const protocols = syncProtocols(room.editKey, { fresh: true });
		openEarlySocket(`${relay.syncUrl}/${room.roomId}`, protocols, { WebSocketClass: NodeSocket });
		// The relay sends the whole room at once (fresh) before the provider exists.
		await waitFor(() => opened[0]?.readyState === WebSocket.OPEN, 5000, 'the early socket open');
		await new Promise((resolve) => setTimeout(resolve, 200));
		const doc = new Y.Doc();
		const client = provider(room.roomId, protocols, doc);
		try {
			await synced(client);
			expect(doc.getMap('items').get('a')).toBe('Written before anyone else came');
			expect(opened).toHaveLength(1);
			expect(client.ws).toBe(opened[0]);
			// And it is a working connection both ways.
			doc.getMap('items').set('b', 'After');
			const other = new Y.Doc();
			const watcher = connectClient(relay.syncUrl, room.roomId, room.editKey, other);
			await waitFor(() => other.getMap('items').get('b') === 'After', 5000, 'the change at the relay');
			watcher.destroy();
		} finally {
			client.destroy();
		}
	});

	test('a socket opened for another room or key is closed, and the provider opens its own', async () => {
		const room = await roomWithItem();
		openEarlySocket(`${relay.syncUrl}/${room.roomId}`, syncProtocols(room.editKey, { fresh: true }), { WebSocketClass: NodeSocket });
		const doc = new Y.Doc();
		// Not fresh: other protocols than the early socket's.
		const client = provider(room.roomId, syncProtocols(room.editKey), doc);
		try {
			await synced(client);
			expect(opened).toHaveLength(2);
			expect(client.ws).toBe(opened[1]);
			await waitFor(() => opened[0].readyState >= WebSocket.CLOSING, 5000, 'the early socket closed');
			expect(doc.getMap('items').get('a')).toBe('Written before anyone else came');
		} finally {
			client.destroy();
		}
	});

	test('a refusal that came before the provider took the socket reaches it, with its close code', async () => {
		const room = await roomWithItem();
		const wrong = syncProtocols((await newRoom()).editKey, { fresh: true });
		openEarlySocket(`${relay.syncUrl}/${room.roomId}`, wrong, { WebSocketClass: NodeSocket });
		await waitFor(() => opened[0]?.readyState === WebSocket.CLOSED, 5000, 'the relay refusing the key');
		const client = provider(room.roomId, wrong, new Y.Doc());
		const codes: number[] = [];
		client.on('closed', ({ code }: { code: number }) => codes.push(code));
		try {
			await waitFor(() => codes.length > 0, 5000, 'the refusal');
			expect(codes[0]).toBeGreaterThanOrEqual(4400);
			expect(codes[0]).toBeLessThan(4500);
			expect(opened).toHaveLength(1);
		} finally {
			client.destroy();
		}
	});

	test('a socket nobody takes is closed after a while', async () => {
		const room = await roomWithItem();
		openEarlySocket(`${relay.syncUrl}/${room.roomId}`, syncProtocols(room.editKey), { WebSocketClass: NodeSocket, staleMs: 300 });
		await waitFor(() => opened[0]?.readyState === WebSocket.CLOSED, 5000, 'the stale socket closed');
	});
});
