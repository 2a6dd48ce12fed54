import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from './closeCodes';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';

/**
 * Must show 7 (issue 12): `npm run rooms -- delete` of a room with live connections, beside a
 * running relay. The relay notices (it checks its rooms against the store), closes the room's
 * connections with 4410, and the store's tombstone keeps anyone from claiming the id again.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = tempDataDir();
let server: ServerProcess;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	server = await startServerProcess({ dataDir });
}, 30_000);
afterAll(async () => {
	for (const provider of providers) provider.destroy();
	server.child.kill('SIGKILL');
	await server.exited;
	rmSync(dataDir, { recursive: true, force: true });
});

it('rooms delete closes the live connections (4410), and no key can claim the id again', { timeout: 60_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const closes: number[] = [];
	for (let i = 0; i < 2; i++) {
		const provider = connectClient(server.syncUrl, roomId, editKey);
		provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
		providers.push(provider);
		await synced(provider);
	}
	providers[0].doc.getText('t').insert(0, 'secret');
	await waitFor(() => providers[1].doc.getText('t').toString() === 'secret', 5000, 'edit');
	const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', 'delete', roomId], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
	expect(stderr).toContain(`deleted room ${roomId}`);
	await waitFor(() => closes.filter((code) => code === CloseCode.roomDeleted).length === 2, 10_000, 'both connections closed with 4410');
	// A final close: stock clients stop reconnecting.
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(providers.every((provider) => !provider.wsconnected)).toBe(true);
	// A new key for the same id is refused: the id stays dead.
	const thief = rawSession(`${server.syncUrl}/${roomId}?key=${(await newRoom()).editKey}`);
	await thief.closed;
	expect(thief.closeCode).toBe(CloseCode.roomDeleted);
	expect(thief.frames).toHaveLength(0);
	const owner = rawSession(`${server.syncUrl}/${roomId}?key=${editKey}`);
	await owner.closed;
	expect(owner.closeCode).toBe(CloseCode.roomDeleted);
});
