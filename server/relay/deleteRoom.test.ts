import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { CloseCode } from './closeCodes';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { relayProcessSuite } from '../testing/relayProcessSuite';

/**
 * Must show 7 (issue 12): `npm run rooms -- delete` of a room with live connections, beside a
 * running relay. The relay notices (it checks its rooms against the store), closes the room's
 * connections with 4410, and the store's tombstone keeps anyone from claiming the id again.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const relay = relayProcessSuite();

it('rooms delete closes the live connections (4410), and no key can claim the id again', { timeout: 60_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const closes: number[] = [];
	for (let i = 0; i < 2; i++) {
		const provider = connectClient(relay.server.syncUrl, roomId, editKey);
		provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
		relay.providers.push(provider);
		await synced(provider);
	}
	relay.providers[0].doc.getText('t').insert(0, 'secret');
	await waitFor(() => relay.providers[1].doc.getText('t').toString() === 'secret', 5000, 'edit');
	const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', 'delete', roomId], { cwd: ROOT, env: { ...process.env, DATA_DIR: relay.dataDir } });
	expect(stderr).toContain(`deleted room ${roomId}`);
	await waitFor(() => closes.filter((code) => code === CloseCode.roomDeleted).length === 2, 10_000, 'both connections closed with 4410');
	// A final close: stock clients stop reconnecting.
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(relay.providers.every((provider) => !provider.wsconnected)).toBe(true);
	// A new key for the same id is refused: the id stays dead.
	const thief = rawSession(`${relay.server.syncUrl}/${roomId}?key=${(await newRoom()).editKey}`);
	await thief.closed;
	expect(thief.closeCode).toBe(CloseCode.roomDeleted);
	expect(thief.frames).toHaveLength(0);
	const owner = rawSession(`${relay.server.syncUrl}/${roomId}?key=${editKey}`);
	await owner.closed;
	expect(owner.closeCode).toBe(CloseCode.roomDeleted);
});
