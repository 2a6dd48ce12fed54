import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { SendBudget } from './SendBudget';

/**
 * Issue 12: "a relay-wide budget for … send queues". Each connection had its own cap only, so
 * many slow readers, each under it, could hold the relay's memory together. Here the cap per
 * connection is far away (64 MiB) and the relay's budget is 1 MiB: three sockets that never read
 * are dropped before they hold more than the budget together, and a reader keeps up.
 */
let relay: TestRelay;
const providers: WebsocketProvider[] = [];
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await relay.close();
});

it('slow readers together never hold more than the relay-wide send budget; readers go on', { timeout: 60_000 }, async () => {
	const budget = 1024 * 1024;
	relay = await startTestRelay({ limits: { maxQueuedBytesPerConnection: 64 * 1024 * 1024, maxQueuedBytesTotal: budget } });
	const { roomId, editKey } = await newRoom();
	const writer = connectClient(relay.syncUrl, roomId, editKey);
	const reader = connectClient(relay.syncUrl, roomId, editKey);
	providers.push(writer, reader);
	await Promise.all([synced(writer), synced(reader)]);
	const room = () => relay.relay.rooms.get(roomId)!;
	const sleepers: WebSocket[] = [];
	for (let i = 0; i < 3; i++) {
		const sleeper = new WebSocket(`${relay.syncUrl}/${roomId}?key=${editKey}`);
		sleeper.on('error', () => {});
		await new Promise<void>((resolve) => sleeper.once('open', () => resolve()));
		// Stop reading: the kernel's buffers fill, then the relay's queue for this socket grows.
		(sleeper as unknown as { _socket: { pause(): void } })._socket.pause();
		sleepers.push(sleeper);
	}
	const held: number[] = [];
	// A paused socket never reads the close frame either: the relay's side says who was dropped.
	await waitFor(() => room().connections.size === 5, 10_000, 'everyone in the room');
	for (let i = 0; i < 300 && room().connections.size > 2; i++) {
		writer.doc.getText('t').insert(0, 'x'.repeat(64 * 1024));
		await new Promise((resolve) => setTimeout(resolve, 10));
		held.push([...room().connections].reduce((sum, c) => sum + c.socket.bufferedAmount, 0));
	}
	await waitFor(() => room().connections.size === 2, 10_000, 'the three sleepers dropped');
	expect(relay.relay.stats().connections).toBe(2);
	// Within the budget, give or take one update per connection between two measures.
	expect(Math.max(...held)).toBeLessThanOrEqual(budget + 5 * 80 * 1024);
	const length = writer.doc.getText('t').length;
	await waitFor(() => reader.doc.getText('t').length === length, 10_000, 'the reader has every update');
	expect(writer.wsconnected && reader.wsconnected).toBe(true);
	for (const sleeper of sleepers) sleeper.terminate();
});

it('sums the queues again only when its running estimate reaches the limit', () => {
	let now = 0;
	const budget = new SendBudget(100, () => now);
	const a = { socket: { bufferedAmount: 0 } };
	budget.add(a);
	expect(budget.charge(60)).toBe(true);
	a.socket.bufferedAmount = 10; // most of it drained
	expect(budget.charge(60)).toBe(true); // over the estimate: measured (10), then 70
	a.socket.bufferedAmount = 70;
	expect(budget.charge(40)).toBe(false); // measured less than 10 ms ago: 110 stays over
	now = 20;
	expect(budget.charge(40)).toBe(false); // measured 70, + 40
	a.socket.bufferedAmount = 0;
	budget.delete(a);
	now = 40;
	expect(budget.charge(100)).toBe(true);
});
