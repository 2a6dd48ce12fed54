import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJournalRecord, parseJournal } from './journalRecord';

const record = fc.record({
	roomId: fc.string({ minLength: 1, maxLength: 30 }),
	seq: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
	update: fc.uint8Array({ maxLength: 200 })
});

const encodeAll = (records: { roomId: string; seq: number; update: Uint8Array }[]) =>
	Buffer.concat(records.map((r) => encodeJournalRecord(r.roomId, r.seq, r.update)));

describe('journal records', () => {
	it('round-trip', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 20 }), (records) => {
				const bytes = encodeAll(records);
				const parsed = parseJournal(bytes);
				expect(parsed.records).toEqual(records.map((r) => ({ ...r, update: new Uint8Array(r.update) })));
				expect(parsed.validBytes).toBe(bytes.length);
				expect(parsed.droppedBytes).toBe(0);
			})
		);
	});

	it('a torn tail, cut anywhere in the last record, drops that record only', () => {
		const records = [
			{ roomId: 'a', seq: 1, update: new Uint8Array([1, 2, 3]) },
			{ roomId: 'b', seq: 7, update: new Uint8Array(50).fill(9) }
		];
		const bytes = encodeAll(records);
		const firstEnd = encodeJournalRecord('a', 1, records[0].update).length;
		for (let cut = firstEnd; cut < bytes.length; cut++) {
			const parsed = parseJournal(bytes.subarray(0, cut));
			expect(parsed.records.map((r) => r.seq)).toEqual([1]);
			expect(parsed.validBytes).toBe(firstEnd);
			expect(parsed.droppedBytes).toBe(cut - firstEnd);
		}
	});

	it('stops at a damaged record: every flipped byte of it is caught', () => {
		const first = encodeJournalRecord('room', 1, new Uint8Array([5, 6]));
		const second = encodeJournalRecord('room', 2, new Uint8Array([7, 8, 9]));
		for (let i = 0; i < second.length; i++) {
			const damaged = Buffer.concat([first, second]);
			damaged[first.length + i] ^= 0x40;
			expect(parseJournal(damaged).records.map((r) => r.seq)).toEqual([1]);
		}
	});

	it('reads any prefix of a journal as a prefix of its records', () => {
		fc.assert(
			fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), fc.nat(), (records, at) => {
				const bytes = encodeAll(records);
				const parsed = parseJournal(bytes.subarray(0, at % (bytes.length + 1)));
				expect(parsed.records).toEqual(records.slice(0, parsed.records.length).map((r) => ({ ...r, update: new Uint8Array(r.update) })));
			})
		);
	});
});
