import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems, getRankLog, requireItem } from './doc';
import { itemString } from './item';
import { createItem } from './items';
import { moveItem, orderedIds } from './order';
import { localOrigin, remoteOrigin } from './origins';
import { loggedRanks, writeRanks } from './rankLog';

const me = localOrigin('me');
const bob = localOrigin('bob');

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: id, now: 1 }, me);
	return doc;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), remoteOrigin);
const entries = (doc: Y.Doc) => getRankLog(doc).toArray().map(([id]) => id);

describe('the rank log', () => {
	it('holds one entry per item: a move appends one and deletes the old one', () => {
		const doc = docWith('a', 'b', 'c');
		expect(entries(doc)).toEqual(['a', 'b', 'c']);
		moveItem(doc, 'a', 'bottom', me);
		expect(entries(doc)).toEqual(['b', 'c', 'a']);
		expect(orderedIds(doc)).toEqual(['b', 'c', 'a']);
		expect(itemString(requireItem(doc, 'a'), 'rank')).toBe(loggedRanks(doc).get('a'));
		// The item map holds no rank or id of its own.
		expect([...requireItem(doc, 'a').keys()].sort()).toEqual(['createdAt', 'criteria', 'description', 'title']);
	});

	it('gives concurrent moves of one item one winner everywhere, and the next move clears the loser', () => {
		const a = docWith('x', 'y', 'z');
		const b = new Y.Doc();
		sync(a, b);
		moveItem(a, 'x', 'bottom', me);
		moveItem(b, 'x', { after: 'y' }, bob);
		sync(a, b);
		sync(b, a);
		expect(orderedIds(a)).toEqual(orderedIds(b));
		expect(getRankLog(a).toJSON()).toEqual(getRankLog(b).toJSON());
		expect(entries(a).filter((id) => id === 'x')).toHaveLength(2);
		moveItem(a, 'x', 'top', me);
		sync(a, b);
		expect(entries(b).filter((id) => id === 'x')).toHaveLength(1);
		expect(orderedIds(b)).toEqual(['x', 'y', 'z']);
	});

	it('a move made after seeing another wins over it', () => {
		const a = docWith('x', 'y', 'z');
		const b = new Y.Doc();
		sync(a, b);
		moveItem(a, 'x', 'bottom', me);
		sync(a, b);
		moveItem(b, 'x', { after: 'y' }, bob);
		sync(b, a);
		expect(orderedIds(a)).toEqual(['y', 'x', 'z']);
	});

	it('is read afresh after a remote change, already inside observers of the items', () => {
		const a = docWith('x', 'y');
		const b = new Y.Doc();
		sync(a, b);
		expect(orderedIds(b)).toEqual(['x', 'y']);
		const seen: string[][] = [];
		getRankLog(b).observe(() => seen.push(orderedIds(b)));
		getItems(b).observeDeep(() => seen.push(orderedIds(b)));
		createItem(a, { id: 'w', title: 'w', now: 1 }, me);
		moveItem(a, 'x', 'bottom', me);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), remoteOrigin);
		expect(seen.length).toBeGreaterThan(0);
		for (const order of seen) expect(order).toEqual(['y', 'w', 'x']);
	});

	it('ignores entries that are not [id, rank] and lets the next writer delete them', () => {
		const doc = docWith('a', 'b');
		const rank = loggedRanks(doc).get('a')!;
		doc.transact(() => getRankLog(doc).push([['a', 7] as unknown as [string, string], 'junk' as unknown as [string, string]]));
		expect(loggedRanks(doc).get('a')).toBe(rank);
		expect(orderedIds(doc)).toEqual(['a', 'b']);
		writeRanks(doc, [['b', loggedRanks(doc).get('b')!]]);
		expect(getRankLog(doc).length).toBe(2);
	});

	it('keeps 1,000 moves of a few items small', () => {
		const doc = docWith('a', 'b', 'c', 'd');
		const before = Y.encodeStateAsUpdate(doc).byteLength;
		const ids = ['a', 'b', 'c', 'd'];
		for (let i = 0; i < 1000; i++) moveItem(doc, ids[i % 4], 'top', me);
		expect(getRankLog(doc).length).toBe(4);
		// As a rewritten map field each move left ~10 bytes behind: ~10 KB.
		expect(Y.encodeStateAsUpdate(doc).byteLength - before).toBeLessThan(600);
	});
});
