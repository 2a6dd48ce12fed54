import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { requireItem } from './doc';
import { backlogTree, childIds, descendantIds, type TreeNode } from './hierarchy';
import { F, itemString } from './item';
import { createItem, deleteItems, restoreItems } from './items';
import { moveItem } from './order';
import { localOrigin, systemOrigin } from './origins';

const me = localOrigin('me');

/** e (epic) → s1, s2; s1 → t1; plus a lone item x. Created in that order. */
function backlog(): Y.Doc {
	const doc = new Y.Doc();
	createItem(doc, { id: 'e', title: 'Epic', kind: 'epic', now: 1 }, me);
	createItem(doc, { id: 's1', title: 'S1', parent: 'e', now: 1 }, me);
	createItem(doc, { id: 's2', title: 'S2', parent: 'e', now: 1 }, me);
	createItem(doc, { id: 't1', title: 'T1', parent: 's1', now: 1 }, me);
	createItem(doc, { id: 'x', title: 'X', now: 1 }, me);
	return doc;
}

/** The tree as nested ids, for readable assertions. */
function shape(nodes: TreeNode[]): unknown[] {
	return nodes.map((n) => (n.children.length ? { [n.id]: shape(n.children) } : n.id));
}

describe('childIds and descendantIds', () => {
	it('list live children and all descendants', () => {
		const doc = backlog();
		expect(childIds(doc, 'e').sort()).toEqual(['s1', 's2']);
		expect(childIds(doc, 'x')).toEqual([]);
		expect(descendantIds(doc, 'e').sort()).toEqual(['s1', 's2', 't1']);
		expect(descendantIds(doc, 't1')).toEqual([]);
		expect(descendantIds(doc, 'unknown')).toEqual([]);
	});
	it('skip the trash unless asked', () => {
		const doc = backlog();
		deleteItems(doc, ['s1'], me, 1);
		expect(childIds(doc, 'e')).toEqual(['s2']);
		expect(childIds(doc, 'e', true).sort()).toEqual(['s1', 's2']);
		expect(descendantIds(doc, 'e')).toEqual(['s2']);
		expect(descendantIds(doc, 'e', true).sort()).toEqual(['s1', 's2', 't1']);
	});
	it('stop on a parent cycle', () => {
		const doc = backlog();
		doc.transact(() => requireItem(doc, 'e').set(F.parent, 't1'), systemOrigin('test'));
		expect(descendantIds(doc, 'e').sort()).toEqual(['s1', 's2', 't1']);
	});
});

describe('backlogTree', () => {
	it('is empty for an empty backlog', () => {
		expect(backlogTree(new Y.Doc())).toEqual([]);
	});
	it('nests children under parents, siblings in rank order', () => {
		const doc = backlog();
		expect(shape(backlogTree(doc))).toEqual([{ e: [{ s1: ['t1'] }, 's2'] }, 'x']);
		moveItem(doc, 's2', 'top', me);
		expect(shape(backlogTree(doc))).toEqual([{ e: ['s2', { s1: ['t1'] }] }, 'x']);
		expect(backlogTree(doc)[0].rank).toBe(itemString(requireItem(doc, 'e'), 'rank'));
	});
	it('places the children of a parent in the trash at the root, and back when it is restored', () => {
		const doc = backlog();
		deleteItems(doc, ['s1'], me, 5);
		restoreItems(doc, ['t1'], me); // t1 went with s1; brought back alone
		expect(shape(backlogTree(doc))).toEqual([{ e: ['s2'] }, 't1', 'x']);
		restoreItems(doc, ['s1'], me);
		expect(shape(backlogTree(doc))).toEqual([{ e: [{ s1: ['t1'] }, 's2'] }, 'x']);
	});
	it('places items with a missing parent at the root', () => {
		const doc = backlog();
		doc.transact(() => requireItem(doc, 'x').set(F.parent, 'not-here'), systemOrigin('test'));
		expect(shape(backlogTree(doc))).toEqual([{ e: [{ s1: ['t1'] }, 's2'] }, 'x']);
	});
	it('shows every live item exactly once even with a parent cycle', () => {
		const doc = backlog();
		// A cycle e → t1 → s1 → e, as two concurrent re-parentings could make.
		doc.transact(() => requireItem(doc, 'e').set(F.parent, 't1'), systemOrigin('test'));
		const seen: string[] = [];
		const walk = (nodes: TreeNode[]) => nodes.forEach((n) => (seen.push(n.id), walk(n.children)));
		walk(backlogTree(doc));
		expect(seen.sort()).toEqual(['e', 's1', 's2', 't1', 'x']);
	});
});
