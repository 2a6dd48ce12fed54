import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createItem } from '$shared/items';
import { moveItems } from '$shared/order';
import { localOrigin } from '$shared/origins';
import { splitItem } from '$shared/split';
import { backlogRows } from './backlogRows';
import { dropMoveTarget, groupMoveTarget, siblingIds } from './groupMove';

const origin = localOrigin('tester');

function room(titles: string[]): { doc: Y.Doc; ids: string[] } {
	const doc = new Y.Doc();
	const ids = titles.map((title) => createItem(doc, { title }, origin));
	return { doc, ids };
}
const titlesOf = (doc: Y.Doc) => backlogRows(doc).map((row) => row.title);

describe('groupMoveTarget', () => {
	const siblings = ['a', 'b', 'c', 'd', 'e'];
	test('up and down pass the nearest unselected sibling', () => {
		expect(groupMoveTarget(siblings, new Set(['b', 'd']), 'up')).toEqual({ before: 'a' });
		expect(groupMoveTarget(siblings, new Set(['b', 'd']), 'down')).toEqual({ after: 'e' });
	});
	test('top and bottom; null when the block is already there', () => {
		expect(groupMoveTarget(siblings, new Set(['c', 'e']), 'top')).toEqual({ before: 'a' });
		expect(groupMoveTarget(siblings, new Set(['a', 'b']), 'top')).toBeNull();
		expect(groupMoveTarget(siblings, new Set(['a', 'b']), 'up')).toBeNull();
		expect(groupMoveTarget(siblings, new Set(['d', 'e']), 'bottom')).toBeNull();
		expect(groupMoveTarget(siblings, new Set(['a', 'c']), 'bottom')).toEqual({ after: 'e' });
	});
	test('applied with moveItems, the group moves as a block in its order', () => {
		const { doc, ids } = room(['a', 'b', 'c', 'd', 'e']);
		const picked = new Set([ids[1], ids[3]]);
		moveItems(doc, [...picked], groupMoveTarget(ids, picked, 'up')!, origin);
		expect(titlesOf(doc)).toEqual(['b', 'd', 'a', 'c', 'e']);
		const rows = backlogRows(doc);
		moveItems(doc, [...picked], groupMoveTarget(siblingIds(rows, null), picked, 'bottom')!, origin);
		expect(titlesOf(doc)).toEqual(['a', 'c', 'e', 'b', 'd']);
	});
});

describe('dropMoveTarget', () => {
	test('before or after the row under the pointer; no move onto its own place', () => {
		const { doc, ids } = room(['a', 'b', 'c']);
		const byId = new Map(backlogRows(doc).map((row) => [row.id, row]));
		expect(dropMoveTarget(byId, [ids[2]], ids[0], 'before')).toEqual({ before: ids[0] });
		expect(dropMoveTarget(byId, [ids[0]], ids[1], 'before')).toBeNull();
		expect(dropMoveTarget(byId, [ids[0]], ids[0], 'after')).toBeNull();
		expect(dropMoveTarget(byId, [ids[0]], ids[2], 'after')).toEqual({ after: ids[2] });
	});
	test('a top-level item dropped on a child lands next to that child’s parent; a child cannot leave its parent', () => {
		const { doc, ids } = room(['a', 'b']);
		splitItem(doc, ids[0], [{ title: 'a1' }, { title: 'a2' }], origin);
		const rows = backlogRows(doc);
		const byId = new Map(rows.map((row) => [row.id, row]));
		const child = rows.find((row) => row.title === 'a2')!;
		expect(dropMoveTarget(byId, [ids[1]], child.id, 'before')).toEqual({ before: ids[0] });
		expect(dropMoveTarget(byId, [child.id], ids[1], 'after')).toBeNull();
		const a1 = rows.find((row) => row.title === 'a1')!;
		expect(dropMoveTarget(byId, [child.id], a1.id, 'before')).toEqual({ before: a1.id });
	});
});
