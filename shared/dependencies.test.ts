import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import { itemSet } from './item';
import { addBlocker, blockersOf, blockingCycle, BlockingCycleError, removeBlocker, SelfBlockError } from './dependencies';
import { createItem } from './items';
import { localOrigin } from './origins';

const me = localOrigin('me');
const bob = localOrigin('bob');

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: id, now: 1 }, me);
	return doc;
}

describe('blockers', () => {
	it('adds, reads sorted and removes', () => {
		const doc = docWith('a', 'b', 'c');
		expect(blockersOf(doc, 'a')).toEqual([]);
		addBlocker(doc, 'a', 'c', me);
		addBlocker(doc, 'a', 'b', me);
		addBlocker(doc, 'a', 'b', me);
		expect(blockersOf(doc, 'a')).toEqual(['b', 'c']);
		expect(blockersOf(doc, 'b')).toEqual([]);
		removeBlocker(doc, 'a', 'c', me);
		expect(blockersOf(doc, 'a')).toEqual(['b']);
		removeBlocker(doc, 'a', 'c', me); // not there: nothing happens
		expect(blockersOf(doc, 'a')).toEqual(['b']);
	});
	it('refuses a self-link', () => {
		const doc = docWith('a');
		expect(() => addBlocker(doc, 'a', 'a', me)).toThrow(SelfBlockError);
		expect(() => addBlocker(doc, 'a', 'a', me)).toThrow(InvalidInputError);
	});
	it('refuses a link that closes a cycle, direct or through others', () => {
		const doc = docWith('a', 'b', 'c');
		addBlocker(doc, 'a', 'b', me); // a blocked by b
		expect(() => addBlocker(doc, 'b', 'a', me)).toThrow(BlockingCycleError);
		addBlocker(doc, 'b', 'c', me); // b blocked by c
		expect(() => addBlocker(doc, 'c', 'a', me)).toThrow(BlockingCycleError);
		expect(blockersOf(doc, 'c')).toEqual([]);
		addBlocker(doc, 'a', 'c', me); // a shortcut is no cycle
		expect(blockersOf(doc, 'a')).toEqual(['b', 'c']);
	});
	it('refuses unknown items on either side', () => {
		const doc = docWith('a');
		expect(() => addBlocker(doc, 'a', 'zz', me)).toThrow(UnknownItemError);
		expect(() => addBlocker(doc, 'zz', 'a', me)).toThrow(UnknownItemError);
		expect(() => blockersOf(doc, 'zz')).toThrow(UnknownItemError);
		expect(() => removeBlocker(doc, 'zz', 'a', me)).toThrow(UnknownItemError);
	});
	it('follows links through an item this doc has not received yet', () => {
		const doc = docWith('a', 'b');
		// As if a peer linked b to an item whose creation has not reached this doc.
		doc.transact(() => itemSet(requireItem(doc, 'b'), 'blockedBy').set('ghost', true));
		addBlocker(doc, 'a', 'b', me);
		expect(blockersOf(doc, 'a')).toEqual(['b']);
		expect(blockingCycle(doc, 'a')).toBeNull();
	});
});

describe('blockingCycle', () => {
	it('is null without a cycle', () => {
		const doc = docWith('a', 'b');
		addBlocker(doc, 'a', 'b', me);
		expect(blockingCycle(doc, 'a')).toBeNull();
		expect(blockingCycle(doc, 'b')).toBeNull();
	});
	it('finds the cycle two people made by linking opposite ways at once', () => {
		const a = docWith('x', 'y');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addBlocker(a, 'x', 'y', me);
		addBlocker(b, 'y', 'x', bob);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(blockingCycle(a, 'x')).toEqual(['x', 'y']);
		expect(blockingCycle(b, 'y')).toEqual(['y', 'x']);
	});
});
