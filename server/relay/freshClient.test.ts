import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { syncProtocols } from '../../shared/wire/subprotocol';
import { connectClient, newRoom, rawSession, synced, waitFor, type RawSession } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { encodeSyncStep1 } from './protocol';

/**
 * A client with no copy of the room offers `fresh` (the app on a first visit): the relay sends
 * the whole room with its sync step 1, without waiting for the client's, and answers the
 * client's own step 1 with what it lacks beyond that, never the whole room a second time.
 */
let relay: TestRelay;
beforeAll(async () => {
	relay = await startTestRelay();
});
afterAll(() => relay.close());

/** The sync messages among a socket's frames: [sync type, payload]. */
function syncMessages(session: RawSession): [number, Uint8Array][] {
	return session.frames.flatMap((frame) => {
		const decoder = decoding.createDecoder(new Uint8Array(frame));
		if (decoding.readVarUint(decoder) !== 0) return [];
		return [[decoding.readVarUint(decoder), decoding.readVarUint8Array(decoder)] as [number, Uint8Array]];
	});
}

/** A room with 300 items' worth of text, written by a stock client. */
async function filledRoom() {
	const room = await newRoom();
	const writer = connectClient(relay.syncUrl, room.roomId, room.editKey);
	await synced(writer);
	writer.doc.transact(() => {
		for (let i = 0; i < 300; i++) writer.doc.getMap('items').set(`i${i}`, `Item ${i}: as a shopper I want thing ${i}`);
	});
	await waitFor(() => relay.relay.stats().rooms > 0, 5000, 'the room loaded');
	return { ...room, writer };
}

it('sends a fresh client the whole room with sync step 1, and answers its own step 1 with nothing more', async () => {
	const { roomId, editKey, writer } = await filledRoom();
	const whole = Y.encodeStateAsUpdate(writer.doc);
	// Stored before the relay answers anyone: another stock client sees all of it.
	const check = connectClient(relay.syncUrl, roomId, editKey);
	await waitFor(() => check.doc.getMap('items').size === 300, 5000, 'the room stored');
	check.destroy();

	const fresh = rawSession(`${relay.syncUrl}/${roomId}`, { protocols: syncProtocols(editKey, { fresh: true }) });
	await waitFor(() => syncMessages(fresh).some(([type]) => type === 1), 5000, 'the whole room, unasked');
	const [step1, step2] = syncMessages(fresh);
	expect(step1[0]).toBe(0);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, step2[1]);
	expect(doc.getMap('items').size).toBe(300);
	expect(step2[1].byteLength).toBeGreaterThan(whole.byteLength / 2);

	// Its own step 1 (sent on open, before it applied the room: an empty state vector) gets an empty answer.
	fresh.socket.send(encodeSyncStep1(Uint8Array.of(0)));
	await waitFor(() => syncMessages(fresh).filter(([type]) => type === 1).length === 2, 5000, 'the answer to its step 1');
	expect([...syncMessages(fresh).filter(([type]) => type === 1)[1][1]]).toEqual([0, 0]);
	fresh.socket.close();
	writer.destroy();
});

it('answers a fresh client step 1 with what changed after the room was sent, and a stock client as before', async () => {
	const { roomId, editKey, writer } = await filledRoom();
	const stock = rawSession(`${relay.syncUrl}/${roomId}?key=${editKey}`);
	const fresh = rawSession(`${relay.syncUrl}/${roomId}`, { protocols: syncProtocols(editKey, { fresh: true }) });
	await waitFor(() => syncMessages(fresh).some(([type]) => type === 1), 5000, 'the whole room, unasked');
	writer.doc.getMap('items').set('late', 'Written after the room was sent');
	await waitFor(() => syncMessages(fresh).some(([type]) => type === 2), 5000, 'the late write, broadcast');
	fresh.socket.send(encodeSyncStep1(Uint8Array.of(0)));
	await waitFor(() => syncMessages(fresh).filter(([type]) => type === 1).length === 2, 5000, 'the answer to its step 1');
	const answer = syncMessages(fresh).filter(([type]) => type === 1)[1][1];
	// Only the late write (a few bytes), which fits on the room it was sent.
	expect(answer.byteLength).toBeLessThan(200);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, syncMessages(fresh)[1][1]);
	expect(doc.getMap('items').has('late')).toBe(false);
	Y.applyUpdate(doc, answer);
	expect(doc.getMap('items').get('late')).toBe('Written after the room was sent');
	expect(doc.getMap('items').size).toBe(301);

	// A stock client offered no `fresh`: it gets the relay's step 1 and no room until it asks.
	expect(syncMessages(stock).map(([type]) => type)).toEqual([0, 2]);
	stock.socket.close();
	fresh.socket.close();
	writer.destroy();
});
