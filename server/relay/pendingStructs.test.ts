import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from './closeCodes';
import { encodeUpdate } from './protocol';
import { neverResolving } from '../testing/attacks';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';

/**
 * Must show 6 (issue 12): 64 MiB of updates whose dependencies never arrive, from one
 * connection, used to count against MAX_DOC_BYTES for everyone (honest editors then got 4413
 * for good) and went to every joiner. Now they wait with their connection, within its own
 * budget (1 MiB by default), and are never stored or sent.
 */
const dataDir = tempDataDir();
let server: ServerProcess;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	server = await startServerProcess({ dataDir, env: { MAX_DOC_BYTES: String(32 * 1024 * 1024) } });
}, 30_000);
afterAll(async () => {
	for (const provider of providers) provider.destroy();
	server.child.kill('SIGKILL');
	await server.exited;
	rmSync(dataDir, { recursive: true, force: true });
});


it('64 MiB of never-resolving updates from one connection: it is closed (4422) past its own budget; honest edits are accepted and reach everyone', { timeout: 60_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const alice = connectClient(server.syncUrl, roomId, editKey);
	const bob = connectClient(server.syncUrl, roomId, editKey);
	providers.push(alice, bob);
	await Promise.all([synced(alice), synced(bob)]);
	alice.doc.getText('t').insert(0, 'before ');
	await waitFor(() => bob.doc.getText('t').toString() === 'before ', 5000, 'first edit');

	const attacker = rawSession(`${server.syncUrl}/${roomId}?key=${editKey}`);
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
	const carol = connectClient(server.syncUrl, roomId, editKey);
	providers.push(carol);
	await synced(carol);
	await waitFor(() => carol.doc.getText('t').toString() === '! before after ', 5000, 'joiner');
	expect(carol.doc.store.pendingStructs).toBeNull();
	const health = await (await fetch(`${server.httpUrl}/healthz`)).json();
	expect(health.roomBytes).toBeLessThan(64 * 1024);
	expect(server.lines.some((line) => line.includes('too many updates waiting for dependencies'))).toBe(true);
});
