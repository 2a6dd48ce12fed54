import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { connectClient, newRoom, synced, waitFor } from '../../../server/testing/clients';
import { startTestRelay, type TestRelay } from '../../../server/testing/relayHarness';
import { changeFacts } from './changeFacts';
import { RelayCoverage } from './RelayCoverage';
import { tapRelay, type RelayMessage } from './relayTap';

let relay: TestRelay | null = null;
afterEach(async () => {
	await relay?.close();
	relay = null;
});

describe('tapRelay against the real relay', () => {
	test('sees the relay’s step 1, its step 2 and the echo of our own update, which then covers the change', async () => {
		relay = await startTestRelay();
		const room = await newRoom();
		const doc = new Y.Doc();
		const provider = connectClient(relay.syncUrl, room.roomId, room.editKey, doc);
		const seen: RelayMessage[] = [];
		const coverage = new RelayCoverage();
		const untap = tapRelay(provider, (message) => {
			seen.push(message);
			if (message.kind === 'step1') coverage.setStateVector(Y.decodeStateVector(message.stateVector));
			else coverage.learn(message.update, true);
		});
		try {
			await synced(provider);
			expect(seen.map((message) => message.kind)).toEqual(expect.arrayContaining(['step1', 'step2']));
			let change: ReturnType<typeof changeFacts> | null = null;
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== provider) change = changeFacts(update);
			});
			doc.getText('t').insert(0, 'hello');
			expect(change).not.toBeNull();
			expect(coverage.covers(change!)).toBe(false);
			await waitFor(() => coverage.covers(change!), 5000, 'the echo');
			expect(seen.some((message) => message.kind === 'update')).toBe(true);
			// A deletion is covered once the relay sends it back too.
			doc.getText('t').delete(0, 2);
			const erased = change!;
			expect(erased.deletes.length).toBe(1);
			await waitFor(() => coverage.covers(erased), 5000, 'the deletion echoed');
			// Unwrapped, the provider still syncs.
			untap();
			const count = seen.length;
			doc.getText('t').insert(0, '!');
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(seen.length).toBe(count);
		} finally {
			provider.destroy();
			doc.destroy();
		}
	});
});
