import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, UnknownItemError } from './doc';
import { createItem } from './items';
import { localOrigin } from './origins';
import { DEFAULT_READY_CHECKLIST, readiness, readyChecklist, setReadyCheck, setReadyChecklist } from './ready';

const me = localOrigin('me');

function docWithItem(): Y.Doc {
	const doc = new Y.Doc();
	createItem(doc, { id: 'i', title: 'Item', now: 1 }, me);
	return doc;
}

describe('readyChecklist', () => {
	it('starts with the default list, as a copy', () => {
		const doc = new Y.Doc();
		const list = readyChecklist(doc);
		expect(list).toEqual(DEFAULT_READY_CHECKLIST);
		list.push({ id: 'x', label: 'x' });
		expect(readyChecklist(doc)).toHaveLength(DEFAULT_READY_CHECKLIST.length);
	});
	it('is replaced by the room\'s own list, labels trimmed', () => {
		const doc = new Y.Doc();
		setReadyChecklist(doc, [{ id: 'a', label: ' Has a mock-up ' }, { id: 'b', label: 'Tested' }], me);
		expect(readyChecklist(doc)).toEqual([{ id: 'a', label: 'Has a mock-up' }, { id: 'b', label: 'Tested' }]);
		setReadyChecklist(doc, [], me);
		expect(readyChecklist(doc)).toEqual([]);
	});
	it('refuses a check without id or label, and an id used twice', () => {
		const doc = new Y.Doc();
		expect(() => setReadyChecklist(doc, [{ id: '', label: 'x' }], me)).toThrow(InvalidInputError);
		expect(() => setReadyChecklist(doc, [{ id: 'a', label: '  ' }], me)).toThrow(InvalidInputError);
		expect(() => setReadyChecklist(doc, [{ id: 'a', label: 'x' }, { id: 'a', label: 'y' }], me)).toThrow(InvalidInputError);
		expect(readyChecklist(doc)).toEqual(DEFAULT_READY_CHECKLIST);
	});
	it('reaches another doc', () => {
		const a = new Y.Doc();
		setReadyChecklist(a, [{ id: 'a', label: 'A' }], me);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(readyChecklist(b)).toEqual([{ id: 'a', label: 'A' }]);
	});
});

describe('setReadyCheck and readiness', () => {
	it('a new item meets no check', () => {
		const doc = docWithItem();
		const ids = DEFAULT_READY_CHECKLIST.map((c) => c.id);
		expect(readiness(doc, 'i')).toEqual({ done: [], missing: ids, ready: false });
	});
	it('ticks and unticks checks; ready when all are ticked', () => {
		const doc = docWithItem();
		setReadyChecklist(doc, [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], me);
		setReadyCheck(doc, 'i', 'b', true, me);
		expect(readiness(doc, 'i')).toEqual({ done: ['b'], missing: ['a'], ready: false });
		setReadyCheck(doc, 'i', 'a', true, me);
		expect(readiness(doc, 'i')).toEqual({ done: ['a', 'b'], missing: [], ready: true });
		setReadyCheck(doc, 'i', 'a', false, me);
		expect(readiness(doc, 'i').ready).toBe(false);
	});
	it('keeps ticks across a rename of the check, and ignores ticks of removed checks', () => {
		const doc = docWithItem();
		setReadyChecklist(doc, [{ id: 'a', label: 'A' }], me);
		setReadyCheck(doc, 'i', 'a', true, me);
		setReadyCheck(doc, 'i', 'gone', true, me);
		setReadyChecklist(doc, [{ id: 'a', label: 'A, renamed' }], me);
		expect(readiness(doc, 'i')).toEqual({ done: ['a'], missing: [], ready: true });
	});
	it('an empty checklist makes every item ready', () => {
		const doc = docWithItem();
		setReadyChecklist(doc, [], me);
		expect(readiness(doc, 'i').ready).toBe(true);
	});
	it('refuses unknown items', () => {
		const doc = docWithItem();
		expect(() => setReadyCheck(doc, 'zz', 'a', true, me)).toThrow(UnknownItemError);
		expect(() => readiness(doc, 'zz')).toThrow(UnknownItemError);
	});
});
