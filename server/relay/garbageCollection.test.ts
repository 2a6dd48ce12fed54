import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { SqliteStore, databasePath } from '../persistence/SqliteStore';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';

/**
 * Issue 12: a room is its merged bytes, and merging never drops deleted content, so a room whose
 * one 15 MiB value was replaced four times held 60 MiB and the fifth replacement was refused
 * (4413, MAX_DOC_BYTES 64 MiB) though its live content was 15 MiB. With garbage collection the
 * room gets its space back: six replacements are accepted, its stored bytes come back near one
 * value's size, and a fresh client reads the last value, before and after a SIGKILL.
 */
const MiB = 1024 * 1024;
const VALUE_BYTES = 15 * MiB - 1024;
const REPLACEMENTS = 6;
const dataDir = tempDataDir();
const servers: ServerProcess[] = [];
const providers: WebsocketProvider[] = [];
afterAll(async () => {
	for (const provider of providers) provider.destroy();
	for (const server of servers) {
		server.child.kill('SIGKILL');
		await server.exited;
	}
	rmSync(dataDir, { recursive: true, force: true });
});

/** Bytes the store holds for the room (snapshot plus log), read beside the live relay as the rooms CLI does. */
async function storedBytes(roomId: string): Promise<number> {
	const reader = new SqliteStore(databasePath(dataDir));
	try {
		return (await reader.loadState(roomId)).reduce((sum, part) => sum + part.byteLength, 0);
	} finally {
		await reader.close();
	}
}

function lastValue(doc: Y.Doc): { n: unknown; data: string | undefined } {
	const blob = doc.getMap('blob');
	return { n: blob.get('n'), data: blob.get('data') as string | undefined };
}

it(`a room whose 15 MiB value is replaced ${REPLACEMENTS} times is accepted, and its stored bytes come back near the live size, across a SIGKILL`, { timeout: 300_000 }, async () => {
	const first = await startServerProcess({ dataDir });
	servers.push(first);
	const { roomId, editKey } = await newRoom();
	const writer = connectClient(first.syncUrl, roomId, editKey);
	const reader = connectClient(first.syncUrl, roomId, editKey);
	providers.push(writer, reader);
	const closes: number[] = [];
	writer.on('connection-close', (event: CloseEvent | null) => {
		if (event) closes.push(event.code);
	});
	await Promise.all([synced(writer), synced(reader)]);

	const base = 'x'.repeat(VALUE_BYTES);
	for (let n = 1; n <= REPLACEMENTS; n++) {
		writer.doc.transact(() => {
			writer.doc.getMap('blob').set('data', `${n}:${base}`);
			writer.doc.getMap('blob').set('n', n);
		});
		// The relay broadcasts only what it stored: the other client seeing it means it was accepted.
		await waitFor(() => lastValue(reader.doc).n === n || closes.length > 0, 60_000, `replacement ${n} reaching the other client`);
		if (closes.length > 0) console.log(first.lines.filter((line) => !line.includes('"level":30')).join('\n'));
		expect(closes, `replacement ${n} refused`).toEqual([]);
	}
	expect(lastValue(reader.doc).data?.startsWith(`${REPLACEMENTS}:x`)).toBe(true);

	// Collected and stored: one value's size plus small tombstones, not six values.
	let stored = Infinity;
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline && (stored = await storedBytes(roomId)) > 2 * VALUE_BYTES) await new Promise((resolve) => setTimeout(resolve, 200));
	const collections = first.lines.filter((line) => line.includes('room garbage collected')).map((line) => JSON.parse(line) as { bytes: number; collected: number; ms: number });
	console.log(
		`garbage collection: ${REPLACEMENTS} replacements of ${(VALUE_BYTES / MiB).toFixed(1)} MiB stored as ${(stored / MiB).toFixed(1)} MiB; collections (MiB → MiB in ms): ${collections.map((c) => `${(c.bytes / MiB).toFixed(0)} → ${(c.collected / MiB).toFixed(0)} in ${c.ms}`).join(', ')}`
	);
	expect(stored).toBeLessThan(1.5 * VALUE_BYTES);

	const fresh = connectClient(first.syncUrl, roomId, editKey);
	providers.push(fresh);
	await synced(fresh, 60_000);
	expect(lastValue(fresh.doc).n).toBe(REPLACEMENTS);
	expect(lastValue(fresh.doc).data).toBe(`${REPLACEMENTS}:${base}`);

	// Killed without a flush, started again: the store holds the collected room.
	first.child.kill('SIGKILL');
	await first.exited;
	const second = await startServerProcess({ dataDir, port: first.port });
	servers.push(second);
	expect(await storedBytes(roomId)).toBeLessThan(1.5 * VALUE_BYTES);
	const afterRestart = connectClient(second.syncUrl, roomId, editKey);
	providers.push(afterRestart);
	await synced(afterRestart, 60_000);
	expect(lastValue(afterRestart.doc).n).toBe(REPLACEMENTS);
	expect(lastValue(afterRestart.doc).data).toBe(`${REPLACEMENTS}:${base}`);
	// The writer reconnected to the new process on its own, and can still replace the value.
	await synced(writer, 60_000);
	writer.doc.getMap('blob').set('n', REPLACEMENTS + 1);
	await waitFor(() => lastValue(afterRestart.doc).n === REPLACEMENTS + 1, 60_000, 'an edit after the restart');
});
