import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { docOf } from '../testing/roomDoc';

let relay: TestRelay;
afterEach(async () => {
	await relay.close();
});

it('folds the update log into a snapshot as updates pile up, without losing any', async () => {
	relay = await startTestRelay({ compactAfterUpdates: 10 });
	const { roomId, editKey } = await newRoom();
	const a = connectClient(relay.syncUrl, roomId, editKey);
	await synced(a);
	for (let i = 0; i < 35; i++) a.doc.getArray<number>('n').push([i]);
	await waitFor(() => docOf(relay.relay.rooms.get(roomId)).getArray('n').length === 35);
	// Let the queued compaction run.
	await new Promise((resolve) => setTimeout(resolve, 50));
	const stored = await relay.store.loadState(roomId);
	expect(stored.length).toBeLessThan(11);
	const check = new Y.Doc();
	for (const update of stored) Y.applyUpdate(check, update);
	expect(check.getArray('n').toJSON()).toEqual(Array.from({ length: 35 }, (_, i) => i));
	a.destroy();
});
