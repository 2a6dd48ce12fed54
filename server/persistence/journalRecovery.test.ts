import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY_FIXED_BYTES, RECORD_HEADER_BYTES, encodeJournalRecord, encodeSegmentHeader } from './journalRecord';
import { readSegmentFile } from './segmentReader';
import { SqliteStore, databasePath, type StoreLogger } from './SqliteStore';
import { UpdateJournal, journalSegments } from './UpdateJournal';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-recovery-'));
	dirs.push(dir);
	return dir;
}

/** Byte lists as plain arrays, so Buffers from SQLite compare equal to Uint8Arrays. */
const plain = (list: Uint8Array[]) => list.map((update) => Array.from(update));
const update = (room: number, n: number, length = 40) => new Uint8Array(length).fill(n % 256).map((value, i) => (i === 0 ? room : i === 1 ? n >> 8 : value));

/** Log lines a store wrote, as objects. */
function collectingLogger(): StoreLogger & { lines: { level: string; message: string; details: Record<string, unknown> }[] } {
	const lines: { level: string; message: string; details: Record<string, unknown> }[] = [];
	return {
		lines,
		info: (details, message) => lines.push({ level: 'info', message, details: details as Record<string, unknown> }),
		warn: (details, message) => lines.push({ level: 'warn', message, details: details as Record<string, unknown> })
	};
}

describe('journal rotation', () => {
	it('rotates by bytes even when every update is compacted at once, so no segment grows without end', async () => {
		const dir = tempDir();
		const segmentBytes = 1024 * 1024;
		const store = SqliteStore.open(dir, { journalMoveMs: 3_600_000, journalSegmentBytes: segmentBytes });
		await store.claimRoom('room', new Uint8Array(32), 0);
		let largest = 0;
		let mostSegments = 0;
		for (let i = 0; i < 40; i++) {
			// As the relay does for an update over COMPACT_AFTER_BYTES: log it, then snapshot at once.
			store.appendUpdate('room', update(1, i, 100_000));
			await store.saveSnapshot('room', update(9, i, 10), i);
			const segments = journalSegments(databasePath(dir));
			mostSegments = Math.max(mostSegments, segments.length);
			for (const segment of segments) largest = Math.max(largest, statSync(segment).size);
		}
		expect(largest).toBeLessThanOrEqual(segmentBytes);
		// Sealed segments whose records are all in a snapshot are deleted at once, not kept.
		expect(mostSegments).toBe(1);
		store.appendUpdate('room', update(1, 1000));
		await store.close();
		const reopened = SqliteStore.open(dir);
		expect(plain(await reopened.loadState('room'))).toEqual(plain([update(9, 39, 10), update(1, 1000)]));
		await reopened.close();
	});
});

describe('journal recovery', () => {
	it('replays a segment larger than 2 GiB (what a segment that never rotated became), record by record', { timeout: 300_000 }, async () => {
		const dir = tempDir();
		const file = databasePath(dir);
		const setup = SqliteStore.open(dir);
		await setup.claimRoom('room', new Uint8Array(32), 0);
		await setup.close();
		// Eleven records of 200 MiB of zeros for a room deleted since (so none is stored), written
		// sparse: the file is 2.2 GiB long and takes a few kilobytes of disk. Then one small record.
		const salt = 0x1234abcd;
		const segment = `${file}.updates.1`;
		const fd = openSync(segment, 'w', 0o600);
		writeSync(fd, encodeSegmentHeader(salt));
		const zeros = Buffer.alloc(200 * 1024 * 1024);
		const bodyBytes = BODY_FIXED_BYTES + 4 + zeros.length;
		// Eleven copies of one record (same seq, same room): its checksum is computed once.
		const head = Buffer.alloc(RECORD_HEADER_BYTES + BODY_FIXED_BYTES + 4);
		head.writeUInt32LE(bodyBytes, 0);
		head.writeUInt32LE((bodyBytes ^ salt) >>> 0, 4);
		head.writeUInt32LE(1, RECORD_HEADER_BYTES);
		head.writeUInt16LE(4, RECORD_HEADER_BYTES + 4);
		head.write('gone', RECORD_HEADER_BYTES + BODY_FIXED_BYTES);
		head.writeUInt32LE(crc32(zeros, crc32(head.subarray(RECORD_HEADER_BYTES))), 8);
		let offset = 8;
		for (let copy = 0; copy < 11; copy++) {
			writeSync(fd, head, 0, head.length, offset);
			offset += head.length + zeros.length;
		}
		ftruncateSync(fd, offset);
		writeSync(fd, encodeJournalRecord('room', 1, new Uint8Array([42]), salt), 0, undefined, offset);
		closeSync(fd);
		expect(statSync(segment).size).toBeGreaterThan(2 * 1024 ** 3);

		const store = SqliteStore.open(dir);
		expect(store.replay.records).toBe(12);
		expect(store.replay.skipped).toEqual([]);
		expect(plain(await store.loadState('room'))).toEqual([[42]]);
		await store.close();
		expect(journalSegments(file)).toEqual([]);
	});


	it('after a flipped byte mid-segment, recovers every undamaged record after it and logs what it skipped', async () => {
		const dir = tempDir();
		const file = databasePath(dir);
		const setup = SqliteStore.open(dir);
		for (const room of ['a', 'b']) await setup.claimRoom(room, new Uint8Array(32), 0);
		await setup.close();
		// The owner's journal as a killed relay leaves it: records only in the segment file.
		const journal = new UpdateJournal(file);
		const written = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
		for (let n = 1; n <= 200; n++) {
			const room = n % 2 === 0 ? 'a' : 'b';
			const data = update(room === 'a' ? 1 : 2, n, 30 + (n % 17));
			journal.append(room, written[room].length + 1, data);
			written[room].push(data);
		}
		journal.close();
		const [segment] = journalSegments(file);
		const bytes = readFileSync(segment);
		// Flip one byte in the middle of the segment: the record holding it is lost, no other.
		const middle = Math.floor(bytes.length / 2);
		bytes[middle] ^= 0x20;
		writeFileSync(segment, bytes);
		const survivors = [...readSegmentFile(segment)];
		expect(survivors).toHaveLength(199);
		const kept = (room: 'a' | 'b') => written[room].filter((_, i) => survivors.some((s) => s.roomId === room && s.seq === i + 1));

		const logger = collectingLogger();
		const store = SqliteStore.open(dir, { logger });
		expect(store.replay.records).toBe(199);
		expect(kept('a').length + kept('b').length).toBe(199);
		expect(plain(await store.loadState('a'))).toEqual(plain(kept('a')));
		expect(plain(await store.loadState('b'))).toEqual(plain(kept('b')));
		const warning = logger.lines.find((line) => line.level === 'warn');
		expect(warning?.message).toMatch(/skipped damaged bytes/);
		expect(warning?.details).toMatchObject({ segment, tail: false });
		expect(warning!.details.offset as number).toBeLessThanOrEqual(middle);
		expect((warning!.details.offset as number) + (warning!.details.bytes as number)).toBeGreaterThan(middle);
		await store.close();
		expect(journalSegments(file)).toEqual([]);
	});

	it('a reader beside the owner (the rooms CLI) reads past a damaged record too', async () => {
		const dir = tempDir();
		const file = databasePath(dir);
		const setup = SqliteStore.open(dir);
		await setup.claimRoom('room', new Uint8Array(32), 0);
		await setup.close();
		const journal = new UpdateJournal(file);
		for (let n = 1; n <= 3; n++) journal.append('room', n, update(1, n));
		journal.close();
		const [segment] = journalSegments(file);
		const bytes = readFileSync(segment);
		// The first record's length field: its end is unknown, so the reader scans for the next header.
		bytes[8] ^= 0x01;
		writeFileSync(segment, bytes);
		const logger = collectingLogger();
		const reader = new SqliteStore(file, { logger });
		expect(plain(await reader.loadState('room'))).toEqual(plain([update(1, 2), update(1, 3)]));
		expect(logger.lines.map((line) => line.level)).toContain('warn');
		await reader.close();
	});
});
