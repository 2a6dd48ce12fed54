import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeJournalRecord, encodeSegmentHeader, type JournalRecord } from './journalRecord';
import { bufferSource, readRecords, readSegmentFile, type SkippedBytes } from './segmentReader';

const SALT = 0x5eed1234;
const record = fc.record({
	roomId: fc.string({ minLength: 1, maxLength: 30 }),
	seq: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
	update: fc.uint8Array({ maxLength: 200 })
});

const encodeAll = (records: JournalRecord[], salt = SALT) =>
	Buffer.concat([encodeSegmentHeader(salt), ...records.map((r) => encodeJournalRecord(r.roomId, r.seq, r.update, salt))]);
const read = (bytes: Uint8Array) => {
	const skipped: SkippedBytes[] = [];
	const records = [...readRecords(bufferSource(bytes), (skip) => skipped.push(skip))];
	return { records, skipped };
};
const seqs = (records: JournalRecord[]) => records.map((r) => r.seq);
const copy = (records: JournalRecord[]) => records.map((r) => ({ ...r, update: new Uint8Array(r.update) }));

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('journal segments', () => {
	it('round-trip', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (records, salt) => {
				const { records: parsed, skipped } = read(encodeAll(records, salt));
				expect(parsed).toEqual(copy(records));
				expect(skipped).toEqual([]);
			})
		);
	});

	it('a torn tail, cut anywhere in the last record, drops that record only and says so', () => {
		const records = [
			{ roomId: 'a', seq: 1, update: new Uint8Array([1, 2, 3]) },
			{ roomId: 'b', seq: 7, update: new Uint8Array(50).fill(9) }
		];
		const bytes = encodeAll(records);
		const firstEnd = encodeAll(records.slice(0, 1)).length;
		for (let cut = firstEnd + 1; cut < bytes.length; cut++) {
			const { records: parsed, skipped } = read(bytes.subarray(0, cut));
			expect(seqs(parsed)).toEqual([1]);
			expect(skipped).toEqual([{ offset: firstEnd, bytes: cut - firstEnd, tail: true }]);
		}
	});

	it('resumes after a damaged record: every flipped byte of a middle record loses that record only', () => {
		const records = [1, 2, 3, 4].map((seq) => ({ roomId: 'room', seq, update: new Uint8Array(20 + seq).fill(seq) }));
		const clean = encodeAll(records);
		const secondStart = encodeAll(records.slice(0, 1)).length;
		const thirdStart = encodeAll(records.slice(0, 2)).length;
		for (let i = secondStart; i < thirdStart; i++) {
			for (const flip of [0x01, 0x80]) {
				const damaged = Buffer.from(clean);
				damaged[i] ^= flip;
				const { records: parsed, skipped } = read(damaged);
				expect(seqs(parsed), `byte ${i} ^ ${flip}`).toEqual([1, 3, 4]);
				expect(skipped).toEqual([{ offset: secondStart, bytes: thirdStart - secondStart, tail: false }]);
			}
		}
	});

	it('resumes after garbage of any length between records', () => {
		fc.assert(
			fc.property(fc.array(record, { minLength: 2, maxLength: 8 }), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 100 }), (records, at, garbage) => {
				const split = 1 + (at % (records.length - 1));
				const before = encodeAll(records.slice(0, split));
				const after = encodeAll(records.slice(split)).subarray(8);
				const { records: parsed, skipped } = read(Buffer.concat([before, garbage, after]));
				expect(parsed).toEqual(copy(records));
				expect(skipped).toEqual([{ offset: before.length, bytes: garbage.length, tail: false }]);
			})
		);
	});

	it('is not fooled by a record forged inside an update: a client cannot know the salt', () => {
		// An update that carries a whole, well-formed record for another room (made with the wrong salt).
		const forged = encodeJournalRecord('victim', 99, new Uint8Array([6, 6, 6]), SALT ^ 1);
		const records = [
			{ roomId: 'attacker', seq: 1, update: new Uint8Array(Buffer.concat([Buffer.alloc(10), forged, Buffer.alloc(10)])) },
			{ roomId: 'room', seq: 2, update: new Uint8Array([1]) }
		];
		const bytes = encodeAll(records);
		// Damage the attacker's record header, so the reader must scan through its body.
		bytes[8] ^= 0xff;
		const { records: parsed } = read(bytes);
		expect(parsed.map((r) => r.roomId)).toEqual(['room']);
	});

	it('reads segments written before the header existed, up to their first bad record', () => {
		const v1 = (roomId: string, seq: number, update: Uint8Array) => {
			const v2 = encodeJournalRecord(roomId, seq, update, 0);
			// v1: length | CRC | body
			return Buffer.concat([v2.subarray(0, 4), v2.subarray(8, 12), v2.subarray(12)]);
		};
		const bytes = Buffer.concat([v1('a', 1, new Uint8Array([1])), v1('a', 2, new Uint8Array([2, 2])), Buffer.from([9, 9, 9])]);
		const { records: parsed, skipped } = read(bytes);
		expect(seqs(parsed)).toEqual([1, 2]);
		expect(skipped).toEqual([{ offset: bytes.length - 3, bytes: 3, tail: true }]);
	});

	it('reads a file through a bounded buffer, records larger than one read included', () => {
		const dir = mkdtempSync(join(tmpdir(), 'refinery-segment-'));
		dirs.push(dir);
		const path = join(dir, 'refinery.db.updates.1');
		const records = [
			{ roomId: 'a', seq: 1, update: new Uint8Array(3 * 1024 * 1024).fill(1) },
			...Array.from({ length: 3000 }, (_, i) => ({ roomId: 'b', seq: i + 2, update: new Uint8Array(700).fill(i % 256) })),
			{ roomId: 'a', seq: 3002, update: new Uint8Array(2 * 1024 * 1024 + 5).fill(2) }
		];
		const bytes = encodeAll(records);
		// Damage one record in the middle: everything else is read.
		const damagedAt = encodeAll(records.slice(0, 1500)).length + 40;
		bytes[damagedAt] ^= 0x10;
		writeFileSync(path, bytes);
		const skipped: SkippedBytes[] = [];
		const parsed = [...readSegmentFile(path, (skip) => skipped.push(skip))];
		expect(parsed).toHaveLength(records.length - 1);
		expect(seqs(parsed)).toEqual(seqs(records).filter((seq) => seq !== 1501));
		// Compared as Buffers: a deep equality of megabytes is slow.
		expect(Buffer.from(parsed[0].update).equals(records[0].update)).toBe(true);
		expect(Buffer.from(parsed[parsed.length - 1].update).equals(records[records.length - 1].update)).toBe(true);
		expect(skipped).toHaveLength(1);
		expect(skipped[0].tail).toBe(false);
		expect([...readSegmentFile(join(dir, 'gone'))]).toEqual([]);
	});
});
