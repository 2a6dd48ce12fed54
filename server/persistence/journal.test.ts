import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeJournalRecord, encodeSegmentHeader } from './journalRecord';
import { SqliteStore, databasePath } from './SqliteStore';
import { journalSegments } from './UpdateJournal';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-journal-'));
	dirs.push(dir);
	return dir;
}

const bytes = (...values: number[]) => new Uint8Array(values);
/** Byte lists as plain arrays, so Buffers from SQLite compare equal to Uint8Arrays. */
const plain = (list: Uint8Array[]) => list.map((update) => Array.from(update));
const storedRows = (dir: string) => {
	const db = new Database(databasePath(dir), { readonly: true });
	const { count } = db.prepare('SELECT COUNT(*) AS count FROM updates').get() as { count: number };
	db.close();
	return count;
};

/** Numbers in a room's Y.Array after loading it from a fresh owner of the data directory. */
async function loadNumbers(store: SqliteStore, roomId: string): Promise<number[]> {
	const doc = new Y.Doc();
	for (const update of await store.loadState(roomId)) Y.applyUpdate(doc, update);
	return doc.getArray<number>('n').toArray();
}

/** Run server/persistence/testing/crashWriter.ts, SIGKILL it after `killAfterMs`; returns the acknowledged numbers per room. */
async function crashWriter(dir: string, seed: number, moveMs: number, killAfterMs: number): Promise<Map<string, number[]>> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/persistence/testing/crashWriter.ts', dir, String(seed), String(moveMs)], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const acks = new Map<string, number[]>();
	let buffered = '';
	let stderr = '';
	child.stderr!.on('data', (chunk) => (stderr += chunk));
	const ready = new Promise<void>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
		child.stdout!.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				if (line === 'ready') resolve();
				const [kind, room, n] = line.split(' ');
				if (kind === 'ack') acks.set(room, [...(acks.get(room) ?? []), Number(n)]);
			}
		});
	});
	await ready;
	await new Promise((resolve) => setTimeout(resolve, killAfterMs));
	const exited = new Promise((resolve) => child.once('close', resolve));
	child.kill('SIGKILL');
	await exited;
	return acks;
}

describe('the update journal', () => {
	it('drops a torn last record on replay and keeps every whole one', async () => {
		const dir = tempDir();
		const first = SqliteStore.open(dir);
		await first.claimRoom('room', new Uint8Array(32), 0);
		await first.close();
		const segment = `${databasePath(dir)}.updates.7`;
		const salt = 77;
		const torn = encodeJournalRecord('room', 3, bytes(30, 31, 32, 33), salt);
		writeFileSync(
			segment,
			Buffer.concat([encodeSegmentHeader(salt), encodeJournalRecord('room', 1, bytes(10), salt), encodeJournalRecord('room', 2, bytes(20, 21), salt), torn.subarray(0, torn.length - 2)])
		);

		const store = SqliteStore.open(dir);
		expect(plain(await store.loadState('room'))).toEqual(plain([bytes(10), bytes(20, 21)]));
		expect(storedRows(dir)).toBe(2);
		// The leftover segment is gone; appending goes on in a new one.
		const segments = journalSegments(databasePath(dir));
		expect(segments).toHaveLength(1);
		expect(segments[0]).not.toBe(segment);
		store.appendUpdate('room', bytes(40));
		expect(plain(await store.loadState('room'))).toEqual(plain([bytes(10), bytes(20, 21), bytes(40)]));
		await store.close();
		expect(journalSegments(databasePath(dir))).toEqual([]);
	});

	it('replays records that were only in the journal when the process was killed', { timeout: 30_000 }, async () => {
		const dir = tempDir();
		// Moves never come (an hour), so everything acknowledged is in the journal alone.
		const acks = await crashWriter(dir, 42, 3_600_000, 300);
		const acked = [...acks.values()].flat().length;
		expect(acked).toBeGreaterThan(20);
		expect(storedRows(dir)).toBe(0);
		expect(journalSegments(databasePath(dir)).length).toBeGreaterThan(0);

		const store = SqliteStore.open(dir);
		for (const [room, numbers] of acks) expect(await loadNumbers(store, room)).toEqual(expect.arrayContaining(numbers));
		expect(storedRows(dir)).toBeGreaterThan(0);
		await store.close();
	});

	it('rotates and moves segments while appends go on, and loadState always sees everything', async () => {
		const dir = tempDir();
		const store = SqliteStore.open(dir, { journalMoveMs: 1 });
		await store.claimRoom('room', new Uint8Array(32), 0);
		const appended: Uint8Array[] = [];
		const segmentsSeen = new Set<string>();
		for (let turn = 0; turn < 150; turn++) {
			for (let i = 0; i < 5; i++) {
				const update = bytes(turn, i);
				store.appendUpdate('room', update);
				appended.push(update);
			}
			for (const segment of journalSegments(databasePath(dir))) segmentsSeen.add(segment);
			if (turn % 10 === 0) expect(plain(await store.loadState('room'))).toEqual(plain(appended));
			await new Promise((resolve) => setTimeout(resolve, turn % 3));
		}
		expect(segmentsSeen.size).toBeGreaterThan(10);
		await store.moveJournal();
		expect(store.waitingRecords).toBe(0);
		expect(storedRows(dir)).toBe(appended.length);
		// Only the (empty) segment being appended to is left.
		expect(journalSegments(databasePath(dir))).toHaveLength(1);
		expect(plain(await store.loadState('room'))).toEqual(plain(appended));
		await store.close();
		const reopened = SqliteStore.open(dir);
		expect(plain(await reopened.loadState('room'))).toEqual(plain(appended));
		await reopened.close();
	});

	it('a snapshot covers the journaled records before it; they are not loaded or stored again', async () => {
		const dir = tempDir();
		const store = SqliteStore.open(dir, { journalMoveMs: 3_600_000 });
		await store.claimRoom('room', new Uint8Array(32), 0);
		store.appendUpdate('room', bytes(1));
		store.appendUpdate('room', bytes(2));
		await store.saveSnapshot('room', bytes(99), 0);
		store.appendUpdate('room', bytes(3));
		expect(plain(await store.loadState('room'))).toEqual(plain([bytes(99), bytes(3)]));
		// A reader beside the live owner sees the same, from the journal files.
		const reader = new SqliteStore(databasePath(dir));
		expect(plain(await reader.loadState('room'))).toEqual(plain([bytes(99), bytes(3)]));
		await reader.close();
		await store.close();
		expect(storedRows(dir)).toBe(1);
	});

	it('skips journaled records of a room deleted before they were stored', async () => {
		const dir = tempDir();
		const store = SqliteStore.open(dir, { journalMoveMs: 3_600_000 });
		await store.claimRoom('gone', new Uint8Array(32), 0);
		await store.claimRoom('kept', new Uint8Array(32), 0);
		store.appendUpdate('gone', bytes(1));
		store.appendUpdate('kept', bytes(2));
		// Deleted by another process (the rooms CLI), which does not know the owner's memory.
		const cli = new SqliteStore(databasePath(dir));
		expect(await cli.deleteRoom('gone')).toBe(true);
		await cli.close();
		await store.moveJournal();
		expect(plain(await store.loadState('kept'))).toEqual(plain([bytes(2)]));
		expect(storedRows(dir)).toBe(1);
		expect(() => store.appendUpdate('never-claimed', bytes(3))).toThrow(/no room never-claimed/);
		await store.close();
	});

	it('loses nothing acknowledged when killed at a random moment (seeded property)', { timeout: 120_000 }, async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 2 ** 31 }),
				fc.constantFrom(1, 5, 50),
				fc.integer({ min: 20, max: 400 }),
				fc.boolean(),
				async (seed, moveMs, killAfterMs, tear) => {
					const dir = tempDir();
					const acks = await crashWriter(dir, seed, moveMs, killAfterMs);
					const segments = journalSegments(databasePath(dir));
					// A write cut short by the crash: half a record at the end of the newest segment.
					if (tear && segments.length > 0) appendFileSync(segments[segments.length - 1], encodeJournalRecord('room-0', 1e6, bytes(1, 2, 3, 4)).subarray(0, 9));
					const store = SqliteStore.open(dir);
					for (const [room, numbers] of acks) {
						const loaded = await loadNumbers(store, room);
						expect(loaded).toEqual(expect.arrayContaining(numbers));
						expect(new Set(loaded).size).toBe(loaded.length);
					}
					await store.close();
					rmSync(dir, { recursive: true, force: true });
				}
			),
			{ numRuns: 8 }
		);
	});
});
