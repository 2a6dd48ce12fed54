import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createItem } from '$shared/items';
import { moveItem, orderedIds } from '$shared/order';
import { localOrigin } from '$shared/origins';
import { splitItem } from '$shared/split';
import { backlogRows } from './backlogRows';
import { keyboardMoveOf, moveTargetFor, type KeyboardMove } from './reorder';

const origin = localOrigin('tester');

function room(titles: string[]): { doc: Y.Doc; ids: string[] } {
	const doc = new Y.Doc();
	return { doc, ids: titles.map((title) => createItem(doc, { title }, origin)) };
}

function titles(doc: Y.Doc): string[] {
	return backlogRows(doc).map((row) => row.title);
}

function press(doc: Y.Doc, id: string, move: KeyboardMove): void {
	const row = backlogRows(doc).find((r) => r.id === id)!;
	const target = moveTargetFor(row, move);
	if (target) moveItem(doc, id, target, origin);
}

describe('keyboard reorder', () => {
	test('up, down, top and bottom move one item among the top level', () => {
		const { doc, ids } = room(['a', 'b', 'c', 'd']);
		press(doc, ids[2], 'up');
		expect(titles(doc)).toEqual(['a', 'c', 'b', 'd']);
		press(doc, ids[0], 'down');
		expect(titles(doc)).toEqual(['c', 'a', 'b', 'd']);
		press(doc, ids[3], 'top');
		expect(titles(doc)).toEqual(['d', 'c', 'a', 'b']);
		press(doc, ids[3], 'bottom');
		expect(titles(doc)).toEqual(['c', 'a', 'b', 'd']);
	});

	test('the first item cannot go up and the last cannot go down', () => {
		const { doc } = room(['a', 'b']);
		const [first, last] = backlogRows(doc);
		expect(moveTargetFor(first, 'up')).toBeNull();
		expect(moveTargetFor(first, 'top')).toBeNull();
		expect(moveTargetFor(last, 'down')).toBeNull();
		expect(moveTargetFor(last, 'bottom')).toBeNull();
	});

	test('a child moves among its siblings and stays under its parent', () => {
		const { doc, ids } = room(['parent', 'after']);
		splitItem(doc, ids[0], [{ title: 'one' }, { title: 'two' }, { title: 'three' }], origin);
		const three = backlogRows(doc).find((r) => r.title === 'three')!;
		expect(three.number).toBe('1.3');
		press(doc, three.id, 'top');
		expect(titles(doc)).toEqual(['parent', 'three', 'one', 'two', 'after']);
		press(doc, three.id, 'bottom');
		expect(titles(doc)).toEqual(['parent', 'one', 'two', 'three', 'after']);
		expect(orderedIds(doc)).toHaveLength(5);
	});

	test('rows carry the number, depth and child count shown in the list', () => {
		const { doc, ids } = room(['epic', 'other']);
		splitItem(doc, ids[0], [{ title: 'child' }], origin);
		expect(backlogRows(doc).map((r) => [r.number, r.depth, r.childCount])).toEqual([
			['1', 0, 1],
			['1.1', 1, 0],
			['2', 0, 0]
		]);
	});

	test('Alt+arrows are moves; other keys are not', () => {
		const key = (key: string, more: Partial<KeyboardEvent> = {}) =>
			keyboardMoveOf({ key, altKey: true, shiftKey: false, ctrlKey: false, metaKey: false, ...more });
		expect(key('ArrowUp')).toBe('up');
		expect(key('ArrowDown', { shiftKey: true })).toBe('bottom');
		expect(key('ArrowUp', { altKey: false })).toBeNull();
		expect(key('a')).toBeNull();
	});
});
