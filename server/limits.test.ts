import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { AddressLimiter } from './limits';
import { CloseCode } from './relay/closeCodes';
import { encodeUpdate } from './relay/protocol';
import { connectClient, newRoom, rawSession, synced, waitFor, type RawSession } from './testing/clients';
import { startTestRelay, type TestRelay } from './testing/relayHarness';
import { docOf } from './testing/roomDoc';

let relay: TestRelay | null = null;
const providers: WebsocketProvider[] = [];
const sessions: RawSession[] = [];
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	for (const session of sessions.splice(0)) session.socket.terminate();
	await relay?.close();
	relay = null;
});

async function start(limits: Parameters<typeof startTestRelay>[0]) {
	relay = await startTestRelay(limits);
	return relay;
}
function raw(url: string) {
	const session = rawSession(url);
	sessions.push(session);
	return session;
}
async function rejectedCount(test: TestRelay, reason: string): Promise<number> {
	const metric = await test.relay.metrics.rejectedConnections.get();
	return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

describe('AddressLimiter', () => {
	it('refills attempts continuously and counts open connections per address', () => {
		let now = 0;
		const limiter = new AddressLimiter({ maxAttemptsPerMinute: 3, maxConnectionsPerAddress: 2 }, () => now);
		expect([limiter.attempt('a'), limiter.attempt('a'), limiter.attempt('a'), limiter.attempt('a')]).toEqual([true, true, true, false]);
		expect(limiter.attempt('b')).toBe(true);
		now += 20_000;
		expect([limiter.attempt('a'), limiter.attempt('a')]).toEqual([true, false]);
		expect([limiter.open('a'), limiter.open('a'), limiter.open('a')]).toEqual([true, true, false]);
		limiter.release('a');
		expect(limiter.open('a')).toBe(true);
	});
});

describe('limits on a live relay', () => {
	it('a frame over the limit closes with 1009; the room goes on', async () => {
		const test = await start({ limits: { maxFrameBytes: 64 * 1024 } });
		const { roomId, editKey } = await newRoom();
		const good = connectClient(test.syncUrl, roomId, editKey);
		providers.push(good);
		await synced(good);
		const big = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
		await waitFor(() => big.frames.length > 0);
		big.socket.send(new Uint8Array(65 * 1024));
		await big.closed;
		expect(big.closeCode).toBe(CloseCode.frameTooLarge);
		expect(await rejectedCount(test, 'frame_too_large')).toBe(1);
		good.doc.getText('t').insert(0, 'still here');
		await waitFor(() => docOf(test.relay.rooms.get(roomId)).getText('t').toString() === 'still here');
	});

	it('an update that would grow the document past the limit closes with 4413 and is not stored', async () => {
		const test = await start({ limits: { maxDocBytes: 20_000 } });
		const { roomId, editKey } = await newRoom();
		const session = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
		await waitFor(() => session.frames.length > 0);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		doc.getText('t').insert(0, 'x'.repeat(15_000));
		doc.getText('t').insert(0, 'y'.repeat(15_000));
		session.socket.send(encodeUpdate(updates[0]));
		session.socket.send(encodeUpdate(updates[1]));
		await session.closed;
		expect(session.closeCode).toBe(CloseCode.documentTooLarge);
		const stored = await test.store.loadState(roomId);
		expect(stored.length).toBe(1);
		expect(await rejectedCount(test, 'document_too_large')).toBe(1);
	});

	it('connections per address over the limit close with 4429', async () => {
		const test = await start({ limits: { maxConnectionsPerAddress: 3 } });
		const { roomId, editKey } = await newRoom();
		const open = [0, 1, 2].map(() => raw(`${test.syncUrl}/${roomId}?key=${editKey}`));
		await waitFor(() => open.every((session) => session.frames.length > 0));
		const extra = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
		await extra.closed;
		expect(extra.closeCode).toBe(CloseCode.tooManyConnections);
		expect(extra.frames).toEqual([]);
		// Closing one frees its slot.
		open[0].socket.close();
		await open[0].closed;
		await waitFor(() => test.relay.stats().connections === 2);
		const again = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
		await waitFor(() => again.frames.length > 0);
		expect(await rejectedCount(test, 'connections_per_address')).toBe(1);
	});

	it('connection attempts per minute over the limit close with 4429', async () => {
		const test = await start({ limits: { maxAttemptsPerMinute: 5 } });
		const { roomId, editKey } = await newRoom();
		const codes: (number | null)[] = [];
		for (let i = 0; i < 7; i++) {
			const session = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
			await waitFor(() => session.frames.length > 0 || session.closeCode !== null);
			session.socket.close();
			await session.closed;
			codes.push(session.closeCode);
		}
		expect(codes.slice(0, 5).every((code) => code !== CloseCode.tooManyConnections)).toBe(true);
		expect(codes.slice(5)).toEqual([CloseCode.tooManyConnections, CloseCode.tooManyConnections]);
		expect(await rejectedCount(test, 'attempt_rate')).toBe(2);
	});

	it('rooms in memory: the least recently used idle room is unloaded (and flushed); 4503 when none is idle', async () => {
		const test = await start({ limits: { maxRoomsInMemory: 2 }, idleUnloadMs: 60_000 });
		const [r1, r2, r3, r4] = await Promise.all([newRoom(), newRoom(), newRoom(), newRoom()]);
		const write = async (room: typeof r1, text: string) => {
			const provider = connectClient(test.syncUrl, room.roomId, room.editKey);
			providers.push(provider);
			await synced(provider);
			provider.doc.getText('t').insert(0, text);
			await waitFor(() => docOf(test.relay.rooms.get(room.roomId)).getText('t').toString() === text);
			return provider;
		};
		(await write(r1, 'one')).destroy();
		(await write(r2, 'two')).destroy();
		await waitFor(() => [r1, r2].every((room) => test.relay.rooms.get(room.roomId)?.connections.size === 0));
		// Use r1 again so r2 becomes the least recently used.
		const back = await write(r1, 'one');
		const third = await write(r3, 'three');
		expect(test.relay.rooms.get(r2.roomId)).toBeUndefined();
		expect(test.relay.rooms.get(r1.roomId)).toBeDefined();
		expect((await test.store.getRoom(r2.roomId))?.size).toBeGreaterThan(0);
		// r1 and r3 both have connections: nothing can be unloaded.
		const full = raw(`${test.syncUrl}/${r4.roomId}?key=${r4.editKey}`);
		await full.closed;
		expect(full.closeCode).toBe(CloseCode.serverFull);
		expect(full.frames).toEqual([]);
		expect(await rejectedCount(test, 'server_full')).toBe(1);
		// r2 comes back from SQLite when there is space again.
		back.destroy();
		third.destroy();
		const reader = connectClient(test.syncUrl, r2.roomId, r2.editKey);
		providers.push(reader);
		await synced(reader);
		expect(reader.doc.getText('t').toString()).toBe('two');
	});

	it('a malformed frame closes only its own connection', async () => {
		const test = await start({});
		const { roomId, editKey } = await newRoom();
		const good = connectClient(test.syncUrl, roomId, editKey);
		providers.push(good);
		await synced(good);
		const bad = raw(`${test.syncUrl}/${roomId}?key=${editKey}`);
		await waitFor(() => bad.frames.length > 0);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint8Array(encoder, new Uint8Array([9, 9, 9, 9, 9]));
		bad.socket.send(encoding.toUint8Array(encoder));
		await bad.closed;
		expect(bad.closeCode).toBe(CloseCode.malformedMessage);
		good.doc.getText('t').insert(0, 'fine');
		await waitFor(() => docOf(test.relay.rooms.get(roomId)).getText('t').toString() === 'fine');
		expect(good.wsconnected).toBe(true);
	});
});
