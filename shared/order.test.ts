import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems, getRankLog, InvalidInputError, requireItem, UnknownItemError } from './doc';
import { F, itemString } from './item';
import { createItem, deleteItems } from './items';
import { lastLiveRank, moveItem, moveItems, orderedIds, orderedItems, repairRanks } from './order';
import { localOrigin, systemOrigin } from './origins';
import { isRank } from './rank';
import { createUndoManager } from './undo';

const me = localOrigin('me');
const bob = localOrigin('bob');

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: id, now: 1 }, me);
	return doc;
}

/** Append a rank to the log directly, as a buggy peer might (older entries stay). */
function forceRank(doc: Y.Doc, id: string, rank: unknown): void {
	doc.transact(() => getRankLog(doc).push([[id, String(rank)]]), systemOrigin('test'));
}

const rankOf = (doc: Y.Doc, id: string) => itemString(requireItem(doc, id), 'rank');

describe('orderedItems and lastLiveRank', () => {
	it('are empty for an empty backlog', () => {
		const doc = new Y.Doc();
		expect(orderedItems(doc)).toEqual([]);
		expect(orderedIds(doc)).toEqual([]);
		expect(lastLiveRank(doc)).toBeNull();
	});
	it('sort live items by rank, then id, and skip the trash', () => {
		const doc = docWith('a', 'b', 'c', 'd');
		const rank = rankOf(doc, 'c');
		forceRank(doc, 'b', rank);
		forceRank(doc, 'a', rank);
		deleteItems(doc, ['d'], me, 1);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
		expect(orderedItems(doc)[0]).toMatchObject({ id: 'a', rank });
		expect(lastLiveRank(doc)).toBe(rank);
	});
	it('sort a malformed rank first, read as ""', () => {
		const doc = docWith('a', 'b');
		forceRank(doc, 'b', 42);
		expect(orderedItems(doc).map((e) => [e.id, e.rank])).toEqual([['b', ''], ['a', rankOf(doc, 'a')]]);
		expect(lastLiveRank(doc)).toBe(rankOf(doc, 'a'));
	});
});

describe('moveItem', () => {
	it('moves before, after, to the top and to the bottom', () => {
		const doc = docWith('a', 'b', 'c', 'd');
		moveItem(doc, 'd', { before: 'b' }, me);
		expect(orderedIds(doc)).toEqual(['a', 'd', 'b', 'c']);
		moveItem(doc, 'a', { after: 'b' }, me);
		expect(orderedIds(doc)).toEqual(['d', 'b', 'a', 'c']);
		moveItem(doc, 'c', 'top', me);
		expect(orderedIds(doc)).toEqual(['c', 'd', 'b', 'a']);
		moveItem(doc, 'c', 'bottom', me);
		expect(orderedIds(doc)).toEqual(['d', 'b', 'a', 'c']);
	});
	it('rewrites only the moved item\'s rank', () => {
		const doc = docWith('a', 'b', 'c');
		const before = ['a', 'b'].map((id) => rankOf(doc, id));
		moveItem(doc, 'c', 'top', me);
		expect(['a', 'b'].map((id) => rankOf(doc, id))).toEqual(before);
		expect(isRank(rankOf(doc, 'c'))).toBe(true);
	});
	it('is a no-op in place: moving to where it already is keeps the order', () => {
		const doc = docWith('a', 'b', 'c');
		moveItem(doc, 'b', { after: 'a' }, me);
		moveItem(doc, 'a', 'top', me);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
	});
	it('refuses moving next to itself', () => {
		const doc = docWith('a', 'b');
		expect(() => moveItem(doc, 'a', { before: 'a' }, me)).toThrow(InvalidInputError);
		expect(() => moveItems(doc, ['a', 'b'], { after: 'b' }, me)).toThrow(InvalidInputError);
		expect(orderedIds(doc)).toEqual(['a', 'b']);
	});
	it('refuses unknown items and anchors', () => {
		const doc = docWith('a', 'b');
		expect(() => moveItem(doc, 'zz', 'top', me)).toThrow(UnknownItemError);
		expect(() => moveItem(doc, 'a', { after: 'zz' }, me)).toThrow(UnknownItemError);
		expect(() => moveItems(doc, ['b', 'zz'], 'top', me)).toThrow(UnknownItemError);
		expect(orderedIds(doc)).toEqual(['a', 'b']);
	});
	it('goes to the bottom when the anchor is in the trash', () => {
		const doc = docWith('a', 'b', 'c');
		deleteItems(doc, ['b'], me, 1);
		moveItem(doc, 'a', { before: 'b' }, me);
		expect(orderedIds(doc)).toEqual(['c', 'a']);
	});
	it('moves within an otherwise empty backlog', () => {
		const doc = docWith('a');
		moveItem(doc, 'a', 'top', me);
		moveItem(doc, 'a', 'bottom', me);
		expect(orderedIds(doc)).toEqual(['a']);
	});
});

describe('moveItems', () => {
	it('keeps the moved items together in their current backlog order, whatever order they are given in', () => {
		const doc = docWith('a', 'b', 'c', 'd', 'e');
		moveItems(doc, ['e', 'b', 'd'], 'top', me);
		expect(orderedIds(doc)).toEqual(['b', 'd', 'e', 'a', 'c']);
		moveItems(doc, ['d', 'b'], { after: 'c' }, me);
		expect(orderedIds(doc)).toEqual(['e', 'a', 'c', 'b', 'd']);
		moveItems(doc, ['a', 'c'], { before: 'e' }, me);
		expect(orderedIds(doc)).toEqual(['a', 'c', 'e', 'b', 'd']);
	});
	it('does nothing for an empty list', () => {
		const doc = docWith('a');
		const before = Y.encodeStateVector(doc);
		moveItems(doc, [], 'top', me);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
	it('is one undo step', () => {
		const doc = docWith('a', 'b', 'c');
		const undo = createUndoManager(doc, me);
		moveItems(doc, ['b', 'c'], 'top', me);
		expect(orderedIds(doc)).toEqual(['b', 'c', 'a']);
		undo.undo();
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
	});
	it('gives an item in the trash its new place too, so a restore shows it there', () => {
		const doc = docWith('a', 'b', 'c');
		deleteItems(doc, ['c'], me, 1);
		moveItems(doc, ['b', 'c'], 'top', me);
		expect(rankOf(doc, 'c') > rankOf(doc, 'b')).toBe(true);
		expect(rankOf(doc, 'c') < rankOf(doc, 'a')).toBe(true);
	});
	it('repairs colliding neighbours before moving into their gap', () => {
		const doc = docWith('a', 'b', 'c', 'd');
		forceRank(doc, 'c', rankOf(doc, 'b')); // b and c collide
		moveItem(doc, 'd', { after: 'b' }, me);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'd', 'c']);
		const ranks = orderedItems(doc).map((e) => e.rank);
		expect(new Set(ranks).size).toBe(4);
		expect([...ranks].sort()).toEqual(ranks);
	});
	it('repairs a malformed neighbour before moving next to it', () => {
		const doc = docWith('a', 'b', 'c');
		forceRank(doc, 'a', 'not a rank'); // sorts first
		moveItem(doc, 'c', { after: 'a' }, me);
		expect(orderedIds(doc)).toEqual(['a', 'c', 'b']);
		expect(isRank(rankOf(doc, 'a'))).toBe(true);
	});
});

describe('repairRanks', () => {
	it('gives distinct ranks to colliding and malformed items without changing the order', () => {
		const doc = docWith('a', 'b', 'c', 'd', 'e');
		forceRank(doc, 'c', rankOf(doc, 'b'));
		forceRank(doc, 'd', rankOf(doc, 'b'));
		forceRank(doc, 'e', null);
		const order = orderedIds(doc);
		expect(order).toEqual(['e', 'a', 'b', 'c', 'd']);
		const b = rankOf(doc, 'b');
		expect(repairRanks(doc, systemOrigin('rank-repair'))).toBe(3);
		expect(orderedIds(doc)).toEqual(order);
		expect(rankOf(doc, 'b')).toBe(b); // the first of a run keeps its rank
		const ranks = orderedItems(doc).map((e) => e.rank);
		expect(ranks.every(isRank)).toBe(true);
		expect(new Set(ranks).size).toBe(5);
	});
	it('changes nothing in a healthy or empty backlog', () => {
		expect(repairRanks(new Y.Doc(), me)).toBe(0);
		const doc = docWith('a', 'b');
		const before = Y.encodeStateVector(doc);
		expect(repairRanks(doc, me)).toBe(0);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
	it('writes the same ranks on two peers repairing at once', () => {
		const a = docWith('x', 'y', 'z');
		forceRank(a, 'z', rankOf(a, 'y'));
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		repairRanks(a, me);
		repairRanks(b, bob);
		expect(orderedItems(b).map((e) => e.rank)).toEqual(orderedItems(a).map((e) => e.rank));
	});
});

describe('concurrent moves on two docs', () => {
	function exchange(first: Y.Doc, second: Y.Doc): void {
		Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
		Y.applyUpdate(first, Y.encodeStateAsUpdate(second));
	}

	for (const aFirst of [true, false]) {
		it(`two different items moved into the same gap converge without duplicates (${aFirst ? 'a' : 'b'} sent first)`, () => {
			const a = docWith('p', 'q', 'x', 'y');
			const b = new Y.Doc();
			Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
			moveItem(a, 'x', { after: 'p' }, me);
			moveItem(b, 'y', { after: 'p' }, bob);
			if (aFirst) exchange(a, b);
			else exchange(b, a);
			const order = orderedIds(a);
			expect(orderedIds(b)).toEqual(order);
			expect([...order].sort()).toEqual(['p', 'q', 'x', 'y']);
			expect(order[0]).toBe('p');
			expect(order[3]).toBe('q');
			expect(rankOf(a, 'x')).not.toBe(rankOf(a, 'y'));
		});
	}
	it('the same item moved two ways ends in one place on both docs', () => {
		const a = docWith('p', 'q', 'r', 'x');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		moveItem(a, 'x', 'top', me);
		moveItem(b, 'x', { after: 'q' }, bob);
		exchange(a, b);
		expect(orderedIds(a)).toEqual(orderedIds(b));
		expect(orderedIds(a).filter((id) => id === 'x')).toHaveLength(1);
		expect(orderedIds(a)).toHaveLength(4);
	});
});
