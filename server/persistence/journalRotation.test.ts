import { execFile } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;
/**
 * The issue asks for 150 (over 2 GiB in all): `JOURNAL_TEST_UPDATES=150` runs that by hand.
 * `npm test` runs 5 (75 MiB), which still crosses a 64 MiB segment. Each update replaces the last,
 * and the relay collects replaced content (docs/RELAY.md, Garbage collection), so one room takes
 * them all under MAX_DOC_BYTES; `JOURNAL_TEST_ROOMS=n` spreads them over n rooms.
 */
const UPDATES = Number(process.env.JOURNAL_TEST_UPDATES) || 5;
const ROOMS = Math.min(UPDATES, Number(process.env.JOURNAL_TEST_ROOMS) || 1);
/** Under the default MAX_FRAME_BYTES (16 MiB), far over COMPACT_AFTER_BYTES (1 MiB): every update compacts. */
const UPDATE_BYTES = 15 * MiB;
/** One test client writes 2.2 GiB from one address: raised as a deployment behind a proxy would. */
const QUOTA_ENV = { MAX_BYTES_PER_ADDRESS_PER_HOUR: String(8 * 1024 * MiB), MAX_ROOMS_PER_ADDRESS_PER_HOUR: '1000', IDLE_UNLOAD_MS: '1000' };

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A y-websocket sync-update message carrying `update`. */
function updateFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // sync
	encoding.writeVarUint(encoder, 2); // update
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** Bytes of the journal segments in a data directory: the largest file and all of them. */
function journalBytes(dataDir: string): { largest: number; total: number } {
	let largest = 0;
	let total = 0;
	for (const name of readdirSync(dataDir)) {
		if (!/^refinery\.db\.updates\.\d+$/.test(name)) continue;
		try {
			const size = statSync(join(dataDir, name)).size;
			largest = Math.max(largest, size);
			total += size;
		} catch {
			// Moved and deleted between the listing and the stat.
		}
	}
	return { largest, total };
}

// After the restart, a fresh stock client of a 45 MiB room once timed out on its first sync here:
// the relay dropped it for the sync answer it had not read yet (fixed; bigRoomSync.test.ts).
it(`${UPDATES} updates of 15 MiB, each compacted at once, then SIGKILL: the relay starts again and every room exports`, { timeout: 2_400_000 }, async () => {
	const dataDir = tempDataDir();
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const servers: ServerProcess[] = [];
	cleanups.push(() => servers.forEach((server) => server.child.kill('SIGKILL')));
	// Generous: a start (and a restart that replays the journal) on a loaded machine can take a while.
	const first = await startServerProcess({ dataDir, startTimeoutMs: 120_000, env: QUOTA_ENV });
	servers.push(first);

	// Per room, a raw socket sends each update as a y-websocket frame and counts the relay's echoes:
	// the relay broadcasts (the sender included) only what it has stored, so an echo is an
	// acknowledgement. Raw, so the test's own CPU goes to making updates, not decoding them.
	const rooms = await Promise.all(
		Array.from({ length: ROOMS }, async () => {
			const room = await newRoom();
			// A zero mask: ws then sends the frame as it is instead of XOR-ing 15 MiB per update.
			const session = rawSession(`${first.syncUrl}/${room.roomId}?key=${room.editKey}`, { generateMask: (mask) => mask.fill(0) });
			cleanups.push(() => session.socket.terminate());
			await waitFor(() => session.frames.length > 0, 20_000, 'the relay greets');
			const echoes = () => session.frames.filter((frame) => frame.length > UPDATE_BYTES / 2).length;
			return { room, session, echoes, doc: new Y.Doc() };
		})
	);

	// One big string, changed in one character per update: each set replaces the last, so the room
	// stays one update's size while every update is logged whole.
	const base = 'x'.repeat(UPDATE_BYTES - 64);
	let largest = 0;
	let total = 0;
	const send = async ({ doc, session, echoes }: (typeof rooms)[number], n: number) => {
		let update: Uint8Array | null = null;
		doc.once('update', (bytes: Uint8Array) => (update = bytes));
		doc.transact(() => {
			doc.getMap('blob').set('data', `${n}:${base}`);
			doc.getMap('blob').set('n', n);
		});
		const before = echoes();
		session.socket.send(updateFrame(update!));
		await waitFor(() => echoes() > before || session.closeCode !== null, 300_000, `update ${n} acknowledged`).catch((error) => {
			console.log(first.lines.filter((line) => !line.includes('"level":30')).slice(-30).join('\n'));
			throw error;
		});
		expect(session.closeCode, `update ${n} refused: ${session.closeReason}`).toBeNull();
		session.frames.length = 0;
	};
	// Three rooms at a time, each taking its updates in turn (room i takes i + 1, i + 1 + ROOMS, …):
	// rooms are independent, so the relay works on one while another's snapshot is written.
	for (let first = 0; first < ROOMS; first += 3) {
		const group = rooms.slice(first, first + 3);
		for (let n = 1; n <= UPDATES; n += ROOMS) {
			await Promise.all(group.map((room, j) => (n + first + j <= UPDATES ? send(room, n + first + j) : null)));
			const sample = journalBytes(dataDir);
			largest = Math.max(largest, sample.largest);
			total = Math.max(total, sample.total);
		}
		// Done with these rooms: they may leave the relay's memory.
		for (const room of group) room.session.socket.close();
	}
	// Segments rotate at 64 MiB (plus at most the record that crossed it) and are deleted once their records are in snapshots.
	expect(largest).toBeLessThanOrEqual(64 * MiB + UPDATE_BYTES);
	expect(total).toBeLessThan(4 * 64 * MiB);

	first.child.kill('SIGKILL');
	await first.exited;

	const second = await startServerProcess({ dataDir, startTimeoutMs: 120_000, env: QUOTA_ENV });
	servers.push(second);
	for (const { room } of rooms) {
		const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', 'export', room.roomId, '--format', 'json'], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: dataDir },
			maxBuffer: 64 * MiB
		});
		expect(() => JSON.parse(stdout)).not.toThrow();
	}
	// Nothing acknowledged was lost: a fresh client of each room sees its last update.
	for (let i = 0; i < ROOMS; i++) {
		const reader = connectClient(second.syncUrl, rooms[i].room.roomId, rooms[i].room.editKey, new Y.Doc());
		cleanups.push(() => reader.destroy());
		await synced(reader, 60_000);
		// Room i took updates i + 1, i + 1 + ROOMS, …
		const last = UPDATES - ((UPDATES - (i + 1)) % ROOMS);
		expect(reader.doc.getMap('blob').get('n')).toBe(last);
		expect((reader.doc.getMap('blob').get('data') as string).startsWith(`${last}:x`)).toBe(true);
	}
});
