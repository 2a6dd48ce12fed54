import { expect, it } from 'vitest';
import { CloseCode } from './closeCodes';
import { encodeUpdate } from './protocol';
import { neverResolving } from '../testing/attacks';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { relayProcessSuite } from '../testing/relayProcessSuite';

/**
 * Must show 6 (issue 12): 64 MiB of updates whose dependencies never arrive, from one
 * connection, used to count against MAX_DOC_BYTES for everyone (honest editors then got 4413
 * for good) and went to every joiner. Now they wait with their connection, within its own
 * budget (1 MiB by default), and are never stored or sent.
 */
const relay = relayProcessSuite({ MAX_DOC_BYTES: String(32 * 1024 * 1024) });


it('64 MiB of never-resolving updates from one connection: it is closed (4422) past its own budget; honest edits are accepted and reach everyone', { timeout: 60_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const alice = connectClient(relay.server.syncUrl, roomId, editKey);
	const bob = connectClient(relay.server.syncUrl, roomId, editKey);
	relay.providers.push(alice, bob);
	await Promise.all([synced(alice), synced(bob)]);
	alice.doc.getText('t').insert(0, 'before ');
	await waitFor(() => bob.doc.getText('t').toString() === 'before ', 5000, 'first edit');

	const attacker = rawSession(`${relay.server.syncUrl}/${roomId}?key=${editKey}`);
	await new Promise<void>((resolve) => attacker.socket.once('open', () => resolve()));
	for (let i = 0; i < 64; i++) {
		if (attacker.closeCode !== null) break;
		attacker.socket.send(encodeUpdate(neverResolving(424242 + i, 1024 * 1024 - 64)));
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	await attacker.closed;
	expect(attacker.closeCode).toBe(CloseCode.overBudget);

	alice.doc.getText('t').insert(7, 'after ');
	bob.doc.getText('t').insert(0, '! ');
	await waitFor(() => alice.doc.getText('t').toString() === '! before after ' && bob.doc.getText('t').toString() === '! before after ', 10_000, 'honest edits everywhere');
	expect(alice.wsconnected && bob.wsconnected).toBe(true);
	// A joiner gets the room, not the attacker's bytes.
	const carol = connectClient(relay.server.syncUrl, roomId, editKey);
	relay.providers.push(carol);
	await synced(carol);
	await waitFor(() => carol.doc.getText('t').toString() === '! before after ', 5000, 'joiner');
	expect(carol.doc.store.pendingStructs).toBeNull();
	const health = await (await fetch(`${relay.server.httpUrl}/healthz`)).json();
	expect(health.roomBytes).toBeLessThan(64 * 1024);
	expect(relay.server.lines.some((line) => line.includes('too many updates waiting for dependencies'))).toBe(true);
});
