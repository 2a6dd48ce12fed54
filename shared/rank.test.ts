import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareRanked, isRank, rankBetween, ranksBetween } from './rank';

/**
 * Ranks are only ever made by rankBetween, so the tests make theirs the same way:
 * a list built by inserting at random places, as people dragging would.
 */
function buildList(places: number[]): string[] {
	const list: string[] = [];
	places.forEach((place, n) => {
		const i = place % (list.length + 1);
		list.splice(i, 0, rankBetween(list[i - 1] ?? null, list[i] ?? null, `item-${n}`));
	});
	return list;
}
const listArb = fc.array(fc.nat(), { minLength: 2, maxLength: 60 }).map(buildList);

describe('isRank', () => {
	it('accepts every rank rankBetween makes', () => {
		const first = rankBetween(null, null, 'x');
		expect(isRank(first)).toBe(true);
		expect(isRank(rankBetween(first, null, 'y'))).toBe(true);
		expect(isRank(rankBetween(null, first, 'y'))).toBe(true);
	});
	it('refuses empty, a trailing 0, other characters and non-strings', () => {
		const rank = rankBetween(null, null, 'x');
		expect(isRank('')).toBe(false);
		expect(isRank(rank + '0')).toBe(false);
		expect(isRank(rank + '-')).toBe(false);
		expect(isRank(rank + 'ä')).toBe(false);
		expect(isRank(' ' + rank)).toBe(false);
		expect(isRank(3)).toBe(false);
		expect(isRank(null)).toBe(false);
		expect(isRank(undefined)).toBe(false);
	});
});

describe('rankBetween', () => {
	it('makes a first rank in an empty list, and ranks before, after and between', () => {
		const first = rankBetween(null, null);
		const after = rankBetween(first, null, 'x');
		const before = rankBetween(null, first, 'x');
		const mid = rankBetween(first, after, 'x');
		expect(before < first && first < mid && mid < after).toBe(true);
		expect([before, first, mid, after].every(isRank)).toBe(true);
	});
	it('is deterministic for the same salt and spreads different salts', () => {
		const a = rankBetween(null, null, 'a');
		const b = rankBetween(a, null, 'b');
		expect(rankBetween(a, b, 'item-1')).toBe(rankBetween(a, b, 'item-1'));
		const ranks = new Set(['i1', 'i2', 'i3', 'i4', 'i5'].map((salt) => rankBetween(a, b, salt)));
		expect(ranks.size).toBe(5);
	});
	it('throws RangeError for malformed or out-of-order bounds', () => {
		const a = rankBetween(null, null, 'a');
		const b = rankBetween(a, null, 'b');
		expect(() => rankBetween(a + '0', null)).toThrow(RangeError);
		expect(() => rankBetween(null, '')).toThrow(RangeError);
		expect(() => rankBetween(b, a)).toThrow(RangeError);
		expect(() => rankBetween(a, a)).toThrow(RangeError);
	});
	it('keeps a list of random insertions strictly ascending and well-formed (property)', () => {
		fc.assert(
			fc.property(listArb, (list) => {
				expect(list.every(isRank)).toBe(true);
				for (let i = 1; i < list.length; i++) expect(list[i - 1] < list[i]).toBe(true);
			}),
			{ seed: 42, numRuns: 300 }
		);
	});
	it('lands strictly between any two ranks of such a list (property)', () => {
		fc.assert(
			fc.property(listArb, fc.nat(), fc.nat(), fc.string(), (list, x, y, salt) => {
				const [i, j] = [x % list.length, y % list.length];
				fc.pre(i !== j);
				const [lo, hi] = i < j ? [list[i], list[j]] : [list[j], list[i]];
				const r = rankBetween(lo, hi, salt);
				expect(isRank(r)).toBe(true);
				expect(lo < r && r < hi).toBe(true);
			}),
			{ seed: 43, numRuns: 1000 }
		);
	});
	it('keeps ranks short when items are appended one after another', () => {
		let last: string | null = null;
		for (let i = 0; i < 1000; i++) last = rankBetween(last, null, `item-${i}`);
		expect(last!.length).toBeLessThan(20);
	});
	it('keeps ranks short when items are put on top one after another', () => {
		let first: string | null = null;
		for (let i = 0; i < 1000; i++) first = rankBetween(null, first, `item-${i}`);
		expect(first!.length).toBeLessThan(20);
	});
});

describe('ranksBetween', () => {
	it('returns nothing for a count of 0 or less', () => {
		expect(ranksBetween(null, null, 0)).toEqual([]);
		expect(ranksBetween(null, null, -1)).toEqual([]);
	});
	it('returns count strictly ascending ranks inside the bounds (property)', () => {
		fc.assert(
			fc.property(listArb, fc.nat(), fc.integer({ min: 1, max: 40 }), fc.boolean(), (list, x, count, open) => {
				const i = x % (list.length - 1);
				const lo = open ? null : list[i];
				const hi = open ? null : list[i + 1];
				const ranks = ranksBetween(lo, hi, count, 'salt');
				expect(ranks).toHaveLength(count);
				ranks.forEach((r, k) => {
					expect(isRank(r)).toBe(true);
					if (k > 0) expect(ranks[k - 1] < r).toBe(true);
				});
				if (lo !== null) expect(ranks[0] > lo).toBe(true);
				if (hi !== null) expect(ranks[count - 1] < hi).toBe(true);
			}),
			{ seed: 7, numRuns: 300 }
		);
	});
});

describe('compareRanked', () => {
	it('sorts by rank, then by id when ranks collide', () => {
		const list = [
			{ rank: 'b', id: '1' },
			{ rank: 'a', id: 'z' },
			{ rank: 'a', id: 'c' }
		];
		expect([...list].sort(compareRanked).map((e) => e.id)).toEqual(['c', 'z', '1']);
		expect(compareRanked({ rank: 'a', id: 'x' }, { rank: 'a', id: 'x' })).toBe(0);
	});
});
