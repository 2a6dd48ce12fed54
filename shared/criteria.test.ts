import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import {
	addCriterion,
	criterionText,
	editCriterionText,
	MAX_CRITERION_LENGTH,
	moveCriterion,
	readCriteria,
	removeCriterion,
	setCriterionDone,
	setCriterionText,
	UnknownCriterionError
} from './criteria';
import { itemCriteria } from './item';
import { createItem } from './items';
import { localOrigin } from './origins';

const me = localOrigin('me');
const bob = localOrigin('bob');

/** An item "i" with criteria c1, c2, c3 ("one", "two", "three"). */
function docWithCriteria(): Y.Doc {
	const doc = new Y.Doc();
	createItem(doc, { id: 'i', title: 'Item', now: 1 }, me);
	addCriterion(doc, 'i', 'one', me, 'c1');
	addCriterion(doc, 'i', 'two', me, 'c2');
	addCriterion(doc, 'i', 'three', me, 'c3');
	return doc;
}

const texts = (doc: Y.Doc) => readCriteria(requireItem(doc, 'i')).map((c) => c.text);
const ids = (doc: Y.Doc) => readCriteria(requireItem(doc, 'i')).map((c) => c.id);

function exchange(first: Y.Doc, second: Y.Doc): void {
	Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
	Y.applyUpdate(first, Y.encodeStateAsUpdate(second));
}

describe('addCriterion and readCriteria', () => {
	it('reads nothing for an item without criteria', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'i', title: 'Item' }, me);
		expect(readCriteria(requireItem(doc, 'i'))).toEqual([]);
	});
	it('adds at the end, trimmed, not done', () => {
		const doc = docWithCriteria();
		const id = addCriterion(doc, 'i', '  four  ', me);
		expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		const list = readCriteria(requireItem(doc, 'i'));
		expect(list.map((c) => c.text)).toEqual(['one', 'two', 'three', 'four']);
		expect(list.every((c) => c.done === false)).toBe(true);
		expect(list[3].id).toBe(id);
	});
	it('refuses an empty or blank text, adding nothing', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'i', title: 'Item' }, me);
		expect(() => addCriterion(doc, 'i', '', me)).toThrow(InvalidInputError);
		expect(() => addCriterion(doc, 'i', '  \n ', me)).toThrow(/cannot be empty/);
		expect(itemCriteria(requireItem(doc, 'i')).length).toBe(0);
	});
	it('refuses an overlong text and unknown items', () => {
		const doc = docWithCriteria();
		expect(() => addCriterion(doc, 'i', 'x'.repeat(MAX_CRITERION_LENGTH + 1), me)).toThrow(InvalidInputError);
		expect(() => addCriterion(doc, 'zz', 'x', me)).toThrow(UnknownItemError);
		expect(texts(doc)).toEqual(['one', 'two', 'three']);
	});
});

describe('editing a criterion', () => {
	it('sets text with the smallest change and edits by typing change', () => {
		const doc = docWithCriteria();
		setCriterionText(doc, 'i', 'c2', '  two and a half ', me);
		expect(texts(doc)[1]).toBe('two and a half');
		editCriterionText(doc, 'i', 'c1', { index: 3, remove: 0, insert: '!' }, me);
		expect(texts(doc)[0]).toBe('one!');
		expect(criterionText(doc, 'i', 'c3').toString()).toBe('three');
	});
	it('refuses overlong texts, unknown criteria and unknown items', () => {
		const doc = docWithCriteria();
		expect(() => setCriterionText(doc, 'i', 'c1', 'x'.repeat(MAX_CRITERION_LENGTH + 1), me)).toThrow(InvalidInputError);
		expect(() => editCriterionText(doc, 'i', 'c1', { index: 0, remove: 0, insert: 'x'.repeat(MAX_CRITERION_LENGTH) }, me)).toThrow(InvalidInputError);
		expect(() => setCriterionText(doc, 'i', 'nope', 'x', me)).toThrow(UnknownCriterionError);
		expect(() => setCriterionDone(doc, 'i', 'nope', true, me)).toThrow(UnknownCriterionError);
		expect(() => criterionText(doc, 'zz', 'c1')).toThrow(UnknownItemError);
		try {
			moveCriterion(doc, 'i', 'nope', 0, me);
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(UnknownCriterionError);
			expect((error as UnknownCriterionError).criterionId).toBe('nope');
			expect((error as UnknownCriterionError).itemId).toBe('i');
		}
		expect(texts(doc)).toEqual(['one', 'two', 'three']);
	});
	it('ticks and unticks', () => {
		const doc = docWithCriteria();
		setCriterionDone(doc, 'i', 'c2', true, me);
		expect(readCriteria(requireItem(doc, 'i')).map((c) => c.done)).toEqual([false, true, false]);
		setCriterionDone(doc, 'i', 'c2', false, me);
		expect(readCriteria(requireItem(doc, 'i')).map((c) => c.done)).toEqual([false, false, false]);
	});
});

describe('moveCriterion', () => {
	it('moves to a position among the live criteria, clamped', () => {
		const doc = docWithCriteria();
		moveCriterion(doc, 'i', 'c3', 0, me);
		expect(ids(doc)).toEqual(['c3', 'c1', 'c2']);
		moveCriterion(doc, 'i', 'c3', 99, me);
		expect(ids(doc)).toEqual(['c1', 'c2', 'c3']);
		moveCriterion(doc, 'i', 'c1', 1, me);
		expect(ids(doc)).toEqual(['c2', 'c1', 'c3']);
		moveCriterion(doc, 'i', 'c3', -5, me);
		expect(ids(doc)).toEqual(['c3', 'c2', 'c1']);
	});
	it('never changes the Y.Array (no delete and insert)', () => {
		const doc = docWithCriteria();
		moveCriterion(doc, 'i', 'c1', 2, me);
		expect(itemCriteria(requireItem(doc, 'i')).length).toBe(3);
	});
	it('places correctly when ranks collide', () => {
		const doc = docWithCriteria();
		const list = itemCriteria(requireItem(doc, 'i'));
		const rank = list.get(0).get('rank');
		doc.transact(() => list.get(1).set('rank', rank)); // c1 and c2 collide
		moveCriterion(doc, 'i', 'c3', 1, me);
		const order = ids(doc);
		expect(order).toHaveLength(3);
		expect(order[0]).toBe('c1');
		expect(order.indexOf('c3')).toBeGreaterThan(0);
	});
	it('concurrent reorders never duplicate a criterion', () => {
		for (const aFirst of [true, false]) {
			const a = docWithCriteria();
			const b = new Y.Doc();
			Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
			moveCriterion(a, 'i', 'c3', 0, me);
			moveCriterion(b, 'i', 'c3', 1, bob);
			moveCriterion(b, 'i', 'c1', 2, bob);
			if (aFirst) exchange(a, b);
			else exchange(b, a);
			expect(ids(a)).toEqual(ids(b));
			expect([...ids(a)].sort()).toEqual(['c1', 'c2', 'c3']);
			expect(itemCriteria(requireItem(a, 'i')).length).toBe(3);
		}
	});
	it('concurrent moves of two criteria into the same gap keep both once', () => {
		const a = docWithCriteria();
		addCriterion(a, 'i', 'four', me, 'c4');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		moveCriterion(a, 'i', 'c3', 0, me);
		moveCriterion(b, 'i', 'c4', 0, bob);
		exchange(a, b);
		expect(ids(a)).toEqual(ids(b));
		expect(ids(a).slice(2)).toEqual(['c1', 'c2']);
	});
});

describe('removeCriterion', () => {
	it('removes softly: hidden from readers, kept in the data', () => {
		const doc = docWithCriteria();
		removeCriterion(doc, 'i', 'c2', me, 123);
		expect(ids(doc)).toEqual(['c1', 'c3']);
		const list = itemCriteria(requireItem(doc, 'i'));
		expect(list.length).toBe(3);
		expect(list.get(1).get('deletedAt')).toBe(123);
	});
	it('positions ignore removed criteria', () => {
		const doc = docWithCriteria();
		removeCriterion(doc, 'i', 'c1', me, 1);
		moveCriterion(doc, 'i', 'c3', 0, me);
		expect(ids(doc)).toEqual(['c3', 'c2']);
		addCriterion(doc, 'i', 'four', me, 'c4');
		expect(ids(doc)).toEqual(['c3', 'c2', 'c4']);
	});
	it('keeps an edit that raced the removal in the data', () => {
		const a = docWithCriteria();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		removeCriterion(a, 'i', 'c1', me, 1);
		setCriterionText(b, 'i', 'c1', 'one, edited', bob);
		exchange(a, b);
		expect(ids(a)).toEqual(['c2', 'c3']);
		expect(criterionText(a, 'i', 'c1').toString()).toBe('one, edited');
	});
	it('refuses unknown criteria', () => {
		const doc = docWithCriteria();
		expect(() => removeCriterion(doc, 'i', 'nope', me)).toThrow(UnknownCriterionError);
	});
});
