import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import { addCriterion, removeCriterion, setCriterionDone, setCriterionText } from './criteria';
import { clearEstimate, confirmEstimate, numericEstimate, readEstimate, scopeFingerprint, setEstimate } from './estimates';
import { createItem, editItemText, setItemText } from './items';
import { localOrigin } from './origins';

const me = localOrigin('me');
const bob = localOrigin('bob');

function estimated(): Y.Doc {
	const doc = new Y.Doc();
	createItem(doc, { id: 'i', title: 'Item', description: 'Pay by card', now: 1 }, me);
	addCriterion(doc, 'i', 'Visa works', me, 'c1');
	setEstimate(doc, 'i', '5', me);
	return doc;
}

const estimate = (doc: Y.Doc) => readEstimate(requireItem(doc, 'i'));

function exchange(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

describe('setEstimate, clearEstimate, readEstimate', () => {
	it('an item starts without an estimate, not stale', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'i', title: 'Item' }, me);
		expect(estimate(doc)).toEqual({ value: null, stale: false });
	});
	it('sets a trimmed card value, fresh', () => {
		const doc = estimated();
		expect(estimate(doc)).toEqual({ value: '5', stale: false });
		setEstimate(doc, 'i', ' XL ', me);
		expect(estimate(doc)).toEqual({ value: 'XL', stale: false });
	});
	it('refuses empty and overlong values, and unknown items', () => {
		const doc = estimated();
		expect(() => setEstimate(doc, 'i', '  ', me)).toThrow(InvalidInputError);
		expect(() => setEstimate(doc, 'i', '123456789', me)).toThrow(InvalidInputError);
		expect(() => setEstimate(doc, 'zz', '3', me)).toThrow(UnknownItemError);
		expect(() => clearEstimate(doc, 'zz', me)).toThrow(UnknownItemError);
		expect(() => confirmEstimate(doc, 'zz', me)).toThrow(UnknownItemError);
		expect(estimate(doc).value).toBe('5');
	});
	it('clears', () => {
		const doc = estimated();
		setItemText(doc, 'i', 'description', 'changed', me);
		clearEstimate(doc, 'i', me);
		expect(estimate(doc)).toEqual({ value: null, stale: false });
	});
});

describe('stale estimates', () => {
	it('go stale when the description changes, and fresh when it changes back', () => {
		const doc = estimated();
		editItemText(doc, 'i', 'description', { index: 11, remove: 0, insert: ' or PayPal' }, me);
		expect(estimate(doc)).toEqual({ value: '5', stale: true });
		setItemText(doc, 'i', 'description', 'Pay by card', me);
		expect(estimate(doc).stale).toBe(false);
	});
	it('do not go stale for a title edit or ticking a criterion', () => {
		const doc = estimated();
		setItemText(doc, 'i', 'title', 'Renamed', me);
		setCriterionDone(doc, 'i', 'c1', true, me);
		expect(estimate(doc).stale).toBe(false);
	});
	it('go stale when a criterion is added, edited or removed', () => {
		for (const edit of [
			(doc: Y.Doc) => addCriterion(doc, 'i', 'Amex works', me),
			(doc: Y.Doc) => setCriterionText(doc, 'i', 'c1', 'Visa and Mastercard work', me),
			(doc: Y.Doc) => removeCriterion(doc, 'i', 'c1', me)
		]) {
			const doc = estimated();
			edit(doc);
			expect(estimate(doc)).toEqual({ value: '5', stale: true });
		}
	});
	it('go stale from another doc\'s edits, after exchanging updates', () => {
		const a = estimated();
		const b = new Y.Doc();
		exchange(a, b);
		expect(estimate(b)).toEqual({ value: '5', stale: false });
		setItemText(b, 'i', 'description', 'Pay by card or cash', bob);
		exchange(a, b);
		expect(estimate(a)).toEqual({ value: '5', stale: true });

		const c = estimated();
		const d = new Y.Doc();
		exchange(c, d);
		setCriterionText(d, 'i', 'c1', 'Visa declined shows an error', bob);
		exchange(d, c);
		expect(estimate(c).stale).toBe(true);
	});
	it('are fresh again after setEstimate or confirmEstimate', () => {
		const doc = estimated();
		addCriterion(doc, 'i', 'Amex works', me);
		setEstimate(doc, 'i', '8', me);
		expect(estimate(doc)).toEqual({ value: '8', stale: false });
		setItemText(doc, 'i', 'description', 'Pay by card, now with 3-D Secure', me);
		expect(estimate(doc).stale).toBe(true);
		confirmEstimate(doc, 'i', me);
		expect(estimate(doc)).toEqual({ value: '8', stale: false });
	});
	it('a confirm on another doc reaches the first', () => {
		const a = estimated();
		setItemText(a, 'i', 'description', 'More', me);
		const b = new Y.Doc();
		exchange(a, b);
		confirmEstimate(b, 'i', bob);
		exchange(b, a);
		expect(estimate(a)).toEqual({ value: '5', stale: false });
	});
	it('confirmEstimate does nothing without an estimate', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'i', title: 'Item' }, me);
		confirmEstimate(doc, 'i', me);
		expect(estimate(doc)).toEqual({ value: null, stale: false });
	});
});

describe('scopeFingerprint', () => {
	it('depends on description and criteria, and tells their boundary apart', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A', description: 'ab' }, me);
		createItem(doc, { id: 'b', title: 'B', description: 'a' }, me);
		addCriterion(doc, 'b', 'b', me);
		createItem(doc, { id: 'c', title: 'C', description: 'ab' }, me);
		const print = (id: string) => scopeFingerprint(requireItem(doc, id));
		expect(print('a')).toBe(print('c'));
		expect(print('a')).not.toBe(print('b'));
		expect(print('a')).toMatch(/^[0-9a-z]+$/);
	});
});

describe('numericEstimate', () => {
	it('reads numbers, halves and nothing else', () => {
		expect(numericEstimate('13')).toBe(13);
		expect(numericEstimate('0.5')).toBe(0.5);
		expect(numericEstimate('½')).toBe(0.5);
		expect(numericEstimate('0')).toBe(0);
		expect(numericEstimate('XL')).toBeNull();
		expect(numericEstimate('?')).toBeNull();
		expect(numericEstimate('☕')).toBeNull();
		expect(numericEstimate(null)).toBeNull();
	});
});
