import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';

/**
 * Must show 8 (issue 12): a socket that never reads held about 300 MB of queued broadcasts
 * until the ping timer dropped it. Now a connection with more than MAX_QUEUED_BYTES_PER_CONNECTION
 * (here 2 MiB) unread is dropped at once.
 */
let relay: TestRelay;
const providers: WebsocketProvider[] = [];
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await relay.close();
});

it('a socket that never reads is dropped before it holds more than a few MiB of sends', { timeout: 60_000 }, async () => {
	const limit = 2 * 1024 * 1024;
	relay = await startTestRelay({ limits: { maxQueuedBytesPerConnection: limit } });
	const { roomId, editKey } = await newRoom();
	const writer = connectClient(relay.syncUrl, roomId, editKey);
	providers.push(writer);
	await synced(writer);
	const sleeper = new WebSocket(`${relay.syncUrl}/${roomId}?key=${editKey}`);
	let closed = false;
	sleeper.on('error', () => {});
	sleeper.on('close', () => (closed = true));
	await new Promise<void>((resolve) => sleeper.once('open', () => resolve()));
	// Stop reading: the kernel's buffers fill, then the relay's queue for this socket grows.
	(sleeper as unknown as { _socket: { pause(): void } })._socket.pause();
	const queued: number[] = [];
	const connection = () => [...(relay.relay.rooms.get(roomId)?.connections ?? [])].find((c) => c !== undefined && c.id !== undefined && c.socket.bufferedAmount > 0);
	for (let i = 0; i < 200 && !closed; i++) {
		writer.doc.getText('t').insert(0, 'x'.repeat(64 * 1024));
		await new Promise((resolve) => setTimeout(resolve, 10));
		const held = connection()?.socket.bufferedAmount ?? 0;
		queued.push(held);
		if (relay.relay.rooms.get(roomId)!.connections.size === 1) break;
	}
	await waitFor(() => relay.relay.rooms.get(roomId)!.connections.size === 1, 10_000, 'the sleeper dropped');
	expect(Math.max(...queued)).toBeLessThanOrEqual(limit + 128 * 1024);
	// The writer is untouched.
	expect(writer.wsconnected).toBe(true);
	sleeper.terminate();
});
