import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import { createItem } from './items';
import { addLabel, canonicalLabel, readLabels, removeLabel, roomLabels, sameLabel } from './labels';
import { localOrigin } from './origins';

const me = localOrigin('me');
const bob = localOrigin('bob');

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: id, now: 1 }, me);
	return doc;
}
const labels = (doc: Y.Doc, id: string) => readLabels(requireItem(doc, id));

function exchange(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

describe('labels', () => {
	it('reads none on a new item, and reads sorted', () => {
		const doc = docWith('a');
		expect(labels(doc, 'a')).toEqual([]);
		addLabel(doc, ['a'], 'ux', me);
		addLabel(doc, ['a'], 'API', me);
		addLabel(doc, ['a'], 'backend', me);
		expect(labels(doc, 'a')).toEqual(['API', 'backend', 'ux']);
	});
	it('adds a cleaned label to several items in one step, once', () => {
		const doc = docWith('a', 'b', 'c');
		addLabel(doc, ['a', 'b'], '  front   end ', me);
		addLabel(doc, ['a'], 'front end', me);
		expect(labels(doc, 'a')).toEqual(['front end']);
		expect(labels(doc, 'b')).toEqual(['front end']);
		expect(labels(doc, 'c')).toEqual([]);
	});
	it('removes from several items, ignoring items without it', () => {
		const doc = docWith('a', 'b', 'c');
		addLabel(doc, ['a', 'b'], 'x', me);
		addLabel(doc, ['a'], 'y', me);
		removeLabel(doc, ['a', 'b', 'c'], 'x', me);
		expect(labels(doc, 'a')).toEqual(['y']);
		expect(labels(doc, 'b')).toEqual([]);
	});
	it('refuses empty and overlong labels', () => {
		const doc = docWith('a');
		expect(() => addLabel(doc, ['a'], '   ', me)).toThrow(InvalidInputError);
		expect(() => addLabel(doc, ['a'], 'x'.repeat(41), me)).toThrow(InvalidInputError);
	});
	it('changes no item when one id is unknown', () => {
		const doc = docWith('a', 'b');
		addLabel(doc, ['b'], 'keep', me);
		expect(() => addLabel(doc, ['a', 'zz'], 'x', me)).toThrow(UnknownItemError);
		expect(labels(doc, 'a')).toEqual([]);
		expect(() => removeLabel(doc, ['b', 'zz'], 'keep', me)).toThrow(UnknownItemError);
		expect(labels(doc, 'b')).toEqual(['keep']);
	});
	it('two docs adding the same label at once get it once', () => {
		const a = docWith('i');
		const b = new Y.Doc();
		exchange(a, b);
		addLabel(a, ['i'], 'ux', me);
		addLabel(b, ['i'], 'ux', bob);
		exchange(a, b);
		expect(labels(a, 'i')).toEqual(['ux']);
		expect(labels(b, 'i')).toEqual(['ux']);
	});
	it('a concurrent add and remove of different labels both stay', () => {
		const a = docWith('i');
		addLabel(a, ['i'], 'old', me);
		const b = new Y.Doc();
		exchange(a, b);
		removeLabel(a, ['i'], 'old', me);
		addLabel(b, ['i'], 'new', bob);
		exchange(b, a);
		expect(labels(a, 'i')).toEqual(['new']);
		expect(labels(b, 'i')).toEqual(['new']);
	});
	it('a concurrent add and remove of the same label converge', () => {
		const a = docWith('i');
		addLabel(a, ['i'], 'x', me);
		const b = new Y.Doc();
		exchange(a, b);
		removeLabel(a, ['i'], 'x', me);
		addLabel(b, ['i'], 'x', bob); // re-set: a new write that the delete did not see
		exchange(a, b);
		expect(labels(a, 'i')).toEqual(labels(b, 'i'));
		expect(labels(a, 'i')).toEqual(['x']);
	});
});

describe('labels compared without case', () => {
	it('adding "Payments" where "payments" exists (on another item) reuses "payments"', () => {
		const doc = docWith('a', 'b');
		addLabel(doc, ['a'], 'payments', me);
		addLabel(doc, ['b'], 'Payments', me);
		addLabel(doc, ['a'], 'PAYMENTS', me);
		expect(labels(doc, 'a')).toEqual(['payments']);
		expect(labels(doc, 'b')).toEqual(['payments']);
		expect(roomLabels(doc)).toEqual(['payments']);
	});
	it('two people adding the same label in two cases at once read as one label, and removing it removes both', () => {
		const a = docWith('i');
		const b = new Y.Doc();
		exchange(a, b);
		addLabel(a, ['i'], 'payments', me);
		addLabel(b, ['i'], 'Payments', bob);
		exchange(a, b);
		expect(labels(a, 'i')).toEqual(labels(b, 'i'));
		expect(labels(a, 'i')).toHaveLength(1);
		removeLabel(a, ['i'], 'PAYMENTS', me);
		expect(labels(a, 'i')).toEqual([]);
	});
	it('sameLabel and canonicalLabel ignore case only', () => {
		expect(sameLabel('Payments', 'payments')).toBe(true);
		expect(sameLabel('Straße', 'STRASSE')).toBe(false);
		expect(sameLabel('a, b', 'A, B')).toBe(true);
		expect(canonicalLabel(['UX', 'api'], ' ux ')).toBe('UX');
		expect(canonicalLabel(['UX'], 'front  end')).toBe('front end');
	});
});
