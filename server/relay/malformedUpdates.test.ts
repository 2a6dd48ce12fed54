import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from './closeCodes';
import { encodeUpdate } from './protocol';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { docOf } from '../testing/roomDoc';

let relay: TestRelay;
const providers: WebsocketProvider[] = [];
const client = (roomId: string, key: string) => {
	const provider = connectClient(relay.syncUrl, roomId, key);
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

/**
 * An update that would integrate into `base`: one insert, and a delete set with two ranges of
 * text that is already there. Yjs applies structs before reading the delete set, so a corrupt
 * delete set would leave the insert (and any range read before the fault) in a doc it reached.
 */
function editOf(base: Y.Doc): Uint8Array {
	const side = new Y.Doc();
	Y.applyUpdate(side, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(side);
	const text = side.getText('t');
	text.insert(text.length, '!');
	text.delete(6, 2);
	text.delete(1, 2);
	return Y.encodeStateAsUpdate(side, before);
}

/** The update with its delete set's last range cut short (structs intact, count says two ranges). */
const corruptDeleteSetTail = (update: Uint8Array) => update.slice(0, -1);
/** The update cut in the middle of its one struct's string content. */
function truncatedMidStruct(update: Uint8Array): Uint8Array {
	const exclamation = update.indexOf('!'.charCodeAt(0));
	expect(exclamation).toBeGreaterThan(0);
	return update.slice(0, exclamation);
}

describe('malformed updates never touch the room document', () => {
	it.each([
		['valid structs, corrupt delete-set tail', corruptDeleteSetTail],
		['truncated mid-struct', truncatedMidStruct]
	])('%s: closed with 4400, document unchanged, others keep syncing', async (_name, corrupt) => {
		const { roomId, editKey } = await newRoom();
		const a = client(roomId, editKey);
		const b = client(roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.doc.getText('t').insert(0, 'abcdefghij');
		await waitFor(() => b.doc.getText('t').length === 10, 5000, 'first edit');

		const edit = editOf(a.doc);
		// The intact edit does apply (so the corrupt one is rejected for its corruption alone).
		const check = new Y.Doc();
		Y.applyUpdate(check, Y.encodeStateAsUpdate(a.doc));
		Y.applyUpdate(check, edit);
		expect(check.getText('t').toString()).toBe('adefij!');
		// The corrupt one throws in Yjs, after integrating what it read before the fault.
		const exposed = new Y.Doc();
		Y.applyUpdate(exposed, Y.encodeStateAsUpdate(a.doc));
		expect(() => Y.applyUpdate(exposed, corrupt(edit))).toThrow();

		const attacker = rawSession(`${relay.syncUrl}/${roomId}?key=${editKey}`);
		await new Promise((resolve) => attacker.socket.once('open', resolve));
		attacker.socket.send(encodeUpdate(corrupt(edit)));
		await attacker.closed;
		expect(attacker.closeCode).toBe(CloseCode.malformedMessage);

		const fresh = client(roomId, editKey);
		await synced(fresh);
		expect(fresh.doc.getText('t').toString()).toBe('abcdefghij');
		expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(a.doc));
		expect(Y.encodeStateVector(docOf(relay.relay.rooms.get(roomId)))).toEqual(Y.encodeStateVector(a.doc));

		b.doc.getText('t').insert(0, '>');
		await waitFor(() => [a, fresh].every((p) => p.doc.getText('t').toString() === '>abcdefghij'), 5000, 'later edit');
		a.doc.getText('t').insert(a.doc.getText('t').length, '<');
		await waitFor(() => [b, fresh].every((p) => p.doc.getText('t').toString() === '>abcdefghij<'), 5000, 'edit back');
	});
});
