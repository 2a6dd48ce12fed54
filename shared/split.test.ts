import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import { addCriterion, readCriteria, setCriterionDone } from './criteria';
import { readEstimate, setEstimate } from './estimates';
import type { ItemKind } from './item';
import { itemNullable, itemString, itemText } from './item';
import { createItem, deleteItems, MAX_DESCRIPTION_LENGTH } from './items';
import { orderedIds } from './order';
import { localOrigin } from './origins';
import { childEstimateSum, childrenOf, splitItem } from './split';

const me = localOrigin('me');

/** a, p (with criteria k1..k3), b. */
function backlog(kind: ItemKind = 'epic'): Y.Doc {
	const doc = new Y.Doc();
	createItem(doc, { id: 'a', title: 'A', now: 1 }, me);
	createItem(doc, { id: 'p', title: 'Checkout', kind, now: 1 }, me);
	createItem(doc, { id: 'b', title: 'B', now: 1 }, me);
	addCriterion(doc, 'p', 'Card', me, 'k1');
	addCriterion(doc, 'p', 'PayPal', me, 'k2');
	addCriterion(doc, 'p', 'Invoice', me, 'k3');
	return doc;
}
const criteria = (doc: Y.Doc, id: string) => readCriteria(requireItem(doc, id)).map((c) => `${c.id}:${c.text}:${c.done}`);

describe('splitItem', () => {
	it('creates linked children right after the parent, in the given order', () => {
		const doc = backlog();
		const ids = splitItem(doc, 'p', [{ title: 'Backend', id: 'c1' }, { title: 'UI', id: 'c2', description: 'The form' }], me, 'ann');
		expect(ids).toEqual(['c1', 'c2']);
		expect(orderedIds(doc)).toEqual(['a', 'p', 'c1', 'c2', 'b']);
		const c2 = requireItem(doc, 'c2');
		expect(itemNullable(c2, 'parent')).toBe('p');
		expect(itemText(c2, 'title').toString()).toBe('UI');
		expect(itemText(c2, 'description').toString()).toBe('The form');
		expect(itemString(c2, 'createdBy')).toBe('ann');
		expect(childrenOf(doc, 'p')).toEqual(['c1', 'c2']);
	});
	it('makes random ids when none are given', () => {
		const doc = backlog();
		const ids = splitItem(doc, 'p', [{ title: 'One' }, { title: 'Two' }], me);
		expect(ids).toHaveLength(2);
		expect(ids[0]).not.toBe(ids[1]);
		expect(childrenOf(doc, 'p')).toEqual(ids);
	});
	it('gives an epic\'s children the kind story, others the parent\'s kind, unless told', () => {
		const epic = backlog('epic');
		splitItem(epic, 'p', [{ title: 'x', id: 'x' }, { title: 'y', id: 'y', kind: 'spike' }], me);
		expect(itemString(requireItem(epic, 'x'), 'kind')).toBe('story');
		expect(itemString(requireItem(epic, 'y'), 'kind')).toBe('spike');
		const bug = backlog('bug');
		splitItem(bug, 'p', [{ title: 'x', id: 'x' }], me);
		expect(itemString(requireItem(bug, 'x'), 'kind')).toBe('bug');
	});
	it('moves chosen criteria to the children, in the parent\'s order, done state kept', () => {
		const doc = backlog();
		setCriterionDone(doc, 'p', 'k3', true, me);
		splitItem(doc, 'p', [{ title: 'Pay', id: 'c1', criteria: ['k3', 'k1'] }, { title: 'Rest', id: 'c2' }], me);
		expect(criteria(doc, 'p')).toEqual(['k2:PayPal:false']);
		expect(criteria(doc, 'c1')).toEqual(['k3:Invoice:true', 'k1:Card:false']);
		expect(criteria(doc, 'c2')).toEqual([]);
	});
	it('makes the parent\'s estimate stale when criteria move away', () => {
		const doc = backlog();
		setEstimate(doc, 'p', '13', me);
		splitItem(doc, 'p', [{ title: 'Pay', id: 'c1', criteria: ['k1'] }], me);
		expect(readEstimate(requireItem(doc, 'p'))).toEqual({ value: '13', stale: true });
	});
	it('ranks new children after the parent\'s existing family, grandchildren included', () => {
		const doc = backlog();
		splitItem(doc, 'p', [{ title: 'one', id: 'c1' }], me);
		splitItem(doc, 'c1', [{ title: 'one-a', id: 'g1' }], me);
		splitItem(doc, 'p', [{ title: 'two', id: 'c2' }, { title: 'three', id: 'c3' }], me);
		expect(orderedIds(doc)).toEqual(['a', 'p', 'c1', 'g1', 'c2', 'c3', 'b']);
	});
	it('splits the last item of the backlog', () => {
		const doc = backlog();
		splitItem(doc, 'b', [{ title: 'b1', id: 'b1' }, { title: 'b2', id: 'b2' }], me);
		expect(orderedIds(doc)).toEqual(['a', 'p', 'b', 'b1', 'b2']);
	});
	it('refuses bad splits and changes nothing', () => {
		const doc = backlog();
		splitItem(doc, 'p', [{ title: 'taken', id: 'taken' }], me);
		const before = Y.encodeStateVector(doc);
		expect(() => splitItem(doc, 'p', [], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'zz', [{ title: 'x' }], me)).toThrow(UnknownItemError);
		expect(() => splitItem(doc, 'p', [{ title: 'x', criteria: ['nope'] }], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'p', [{ title: 'x', criteria: ['k1'] }, { title: 'y', criteria: ['k1'] }], me)).toThrow(InvalidInputError);
		// A bad later child must not leave the earlier ones behind.
		expect(() => splitItem(doc, 'p', [{ title: 'ok', id: 'ok' }, { title: '   ' }], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'p', [{ title: 'ok', id: 'ok' }, { title: 'x', kind: 'saga' as ItemKind }], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'p', [{ title: 'ok', id: 'ok' }, { title: 'x', description: 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1) }], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'p', [{ title: 'ok', id: 'ok' }, { title: 'x', id: 'taken' }], me)).toThrow(InvalidInputError);
		expect(() => splitItem(doc, 'p', [{ title: 'ok', id: 'same' }, { title: 'x', id: 'same' }], me)).toThrow(InvalidInputError);
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(criteria(doc, 'p')).toHaveLength(3);
	});
	it('refuses to split an item in the trash', () => {
		const doc = backlog();
		deleteItems(doc, ['p'], me, 1);
		expect(() => splitItem(doc, 'p', [{ title: 'x' }], me)).toThrow(InvalidInputError);
	});
	it('is one undo step', () => {
		const doc = backlog();
		const undo = new Y.UndoManager(doc.getMap('items'), { trackedOrigins: new Set([me]) });
		splitItem(doc, 'p', [{ title: 'x', id: 'x', criteria: ['k1'] }, { title: 'y', id: 'y' }], me);
		undo.undo();
		expect(orderedIds(doc)).toEqual(['a', 'p', 'b']);
		expect(criteria(doc, 'p')).toHaveLength(3);
	});
});

describe('childrenOf and childEstimateSum', () => {
	it('are empty for an item without children', () => {
		const doc = backlog();
		expect(childrenOf(doc, 'a')).toEqual([]);
		expect(childEstimateSum(doc, 'a')).toEqual({ sum: 0, estimated: 0, unestimated: 0 });
	});
	it('sum numeric estimates of live children and count the rest', () => {
		const doc = backlog();
		splitItem(doc, 'p', ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => ({ title: id, id })), me);
		setEstimate(doc, 'c1', '3', me);
		setEstimate(doc, 'c2', '0.5', me);
		setEstimate(doc, 'c3', 'XL', me); // not a number: counts as unestimated
		setEstimate(doc, 'c5', '8', me);
		deleteItems(doc, ['c5'], me, 1);
		expect(childEstimateSum(doc, 'p')).toEqual({ sum: 3.5, estimated: 2, unestimated: 2 });
		expect(childrenOf(doc, 'p')).toEqual(['c1', 'c2', 'c3', 'c4']);
	});
});
