import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { MAIN_THREAD_BYTES } from './Room';

let relay: TestRelay | null = null;
afterEach(async () => {
	await relay?.close();
	relay = null;
});

/** A room well past MAIN_THREAD_BYTES: loading it without its stored state vector needs the merge worker. */
function bigDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const items = doc.getMap<Y.Text>('items');
		for (let i = 0; i < 600; i++) items.set(`item-${i}`, new Y.Text(`Item ${i}: `.padEnd(200, 'x')));
	});
	return doc;
}

it('stores a snapshot with its state vector and loads it again without decoding the bytes', async () => {
	relay = await startTestRelay();
	const { dataDir } = relay;
	const { roomId, editKey } = await newRoom();
	const writer = connectClient(relay.syncUrl, roomId, editKey, bigDoc());
	await synced(writer);
	await waitFor(() => (relay!.relay.rooms.get(roomId)?.size ?? 0) > MAIN_THREAD_BYTES, 5000, 'the upload');
	writer.destroy();
	await relay.close({ remove: false });

	relay = await startTestRelay({ dataDir });
	const stored = await relay.store.loadStoredState(roomId);
	expect(stored.parts).toHaveLength(1);
	expect(Array.from(stored.stateVector!)).toEqual(Array.from(Y.encodeStateVectorFromUpdate(stored.parts[0])));
	await relay.close({ remove: false });

	// A merge budget no job can meet: the room loads only if nothing is decoded in the worker.
	relay = await startTestRelay({ dataDir, mergeBudget: { timeMs: 1 } });
	const reader = connectClient(relay.syncUrl, roomId, editKey);
	await synced(reader);
	expect(reader.doc.getMap('items').size).toBe(600);
	reader.destroy();
});
