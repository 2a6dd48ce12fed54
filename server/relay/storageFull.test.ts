import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { DiskUsage } from '../persistence/DiskUsage';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { relayProcessSuite } from '../testing/relayProcessSuite';
import { CloseCode } from './closeCodes';

/**
 * Issue 12: an optional total disk budget. With MAX_DISK_BYTES set, once the data directory stores
 * that much, new rooms and updates that add bytes are refused with 4507 (clients retry and keep
 * their changes); stored rooms stay readable; when space is freed (a room deleted), writes resume
 * without anyone reconnecting by hand.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KiB = 1024;
const MAX_DISK_BYTES = 3 * 1024 * KiB;
const CHUNK = 200 * KiB;
const relay = relayProcessSuite({ MAX_DISK_BYTES: String(MAX_DISK_BYTES) });

/** Close codes a provider saw. */
function closesOf(provider: WebsocketProvider): number[] {
	const codes: number[] = [];
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) codes.push(event.code);
	});
	return codes;
}

const chunk = (n: number) => `${n}:`.padEnd(CHUNK, 'x');

it('refuses new rooms and growing updates with 4507 at MAX_DISK_BYTES, keeps rooms readable, and resumes writes once space is freed', { timeout: 180_000 }, async () => {
	const { syncUrl } = relay.server;
	// Room B holds about 1 MiB, to be deleted later.
	const b = await newRoom();
	const bWriter = connectClient(syncUrl, b.roomId, b.editKey);
	relay.providers.push(bWriter);
	await synced(bWriter, 20_000);
	for (let n = 0; n < 5; n++) bWriter.doc.getArray<string>('chunks').push([chunk(n)]);
	const bReader = connectClient(syncUrl, b.roomId, b.editKey);
	relay.providers.push(bReader);
	await waitFor(() => bReader.doc.getArray('chunks').length === 5, 20_000, 'room B stored');
	bWriter.destroy();
	bReader.destroy();

	// Room A is written until the budget refuses.
	const a = await newRoom();
	const writer = connectClient(syncUrl, a.roomId, a.editKey);
	const reader = connectClient(syncUrl, a.roomId, a.editKey);
	relay.providers.push(writer, reader);
	const closes = closesOf(writer);
	await Promise.all([synced(writer, 20_000), synced(reader, 20_000)]);
	let accepted = 0;
	for (let n = 0; n < 40 && closes.length === 0; n++) {
		writer.doc.getArray<string>('chunks').push([chunk(n)]);
		await waitFor(() => reader.doc.getArray('chunks').length === n + 1 || closes.length > 0, 20_000, `chunk ${n}`);
		if (closes.length === 0) accepted = n + 1;
	}
	expect(closes[0]).toBe(CloseCode.storageFull);
	const usage = new DiskUsage(relay.dataDir);
	const stored = usage.measure();
	usage.close();
	console.log(`disk budget ${MAX_DISK_BYTES} bytes: room A took ${accepted} chunks of ${CHUNK} bytes before 4507; ${stored} bytes stored`);
	expect(accepted).toBeGreaterThan(2);
	// At most one update past the budget (the bytes admitted since the last measure are counted too).
	expect(stored).toBeLessThan(MAX_DISK_BYTES + 2 * CHUNK);

	// A new room is refused before anything is stored.
	const c = await newRoom();
	const claim = rawSession(`${syncUrl}/${c.roomId}?key=${c.editKey}`);
	await waitFor(() => claim.closeCode !== null, 10_000, 'the new room refused');
	expect(claim.closeCode).toBe(CloseCode.storageFull);

	// What is stored stays readable: a fresh client gets room A as far as it was accepted.
	const fresh = connectClient(syncUrl, a.roomId, a.editKey);
	relay.providers.push(fresh);
	await synced(fresh, 20_000);
	expect(fresh.doc.getArray('chunks').length).toBe(accepted);

	// Space freed (room B deleted): the writer, retrying by itself, gets its refused chunk stored.
	await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', 'delete', b.roomId], { cwd: ROOT, env: { ...process.env, DATA_DIR: relay.dataDir } });
	await waitFor(() => reader.doc.getArray('chunks').length === accepted + 1, 30_000, 'the refused chunk stored once space was freed');
	await waitFor(() => fresh.doc.getArray('chunks').length === accepted + 1, 10_000, 'the refused chunk reaching every client');
	const after = rawSession(`${syncUrl}/${c.roomId}?key=${c.editKey}`);
	await waitFor(() => after.frames.length > 0, 10_000, 'a new room claimed again');
	after.socket.terminate();
});
