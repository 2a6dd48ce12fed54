import type * as Y from 'yjs';
import { getItems } from './doc';
import { F, isDeleted } from './item';
import { orderedItems, type Ranked } from './order';

/**
 * Parent and child links. Only the child stores its parent, so the two sides can
 * never disagree; "the parent knows its children" is this derived view.
 */
export function childIds(doc: Y.Doc, parentId: string, includeDeleted = false): string[] {
	const out: string[] = [];
	for (const [id, item] of getItems(doc)) {
		if (item.get(F.parent) === parentId && (includeDeleted || !isDeleted(item))) out.push(id);
	}
	return out;
}

/** Every descendant of an item (children, their children, ...), guarding against cycles. */
export function descendantIds(doc: Y.Doc, parentId: string, includeDeleted = false): string[] {
	const out: string[] = [];
	const seen = new Set([parentId]);
	const queue = [parentId];
	while (queue.length) {
		for (const child of childIds(doc, queue.shift()!, includeDeleted)) {
			if (seen.has(child)) continue;
			seen.add(child);
			out.push(child);
			queue.push(child);
		}
	}
	return out;
}

export interface TreeNode {
	id: string;
	rank: string;
	children: TreeNode[];
}

/**
 * The live backlog as a tree: children under their live parent, siblings in rank
 * order; an item whose parent is in the trash (or missing, or on a cycle) is a root.
 * Every live item appears exactly once.
 */
export function backlogTree(doc: Y.Doc): TreeNode[] {
	const order = orderedItems(doc);
	const nodes = new Map<string, TreeNode>(order.map((e: Ranked) => [e.id, { id: e.id, rank: e.rank, children: [] }]));
	const parentOf = (id: string): string | null => {
		const parent = getItems(doc).get(id)?.get(F.parent);
		return typeof parent === 'string' && nodes.has(parent) ? parent : null;
	};
	const roots: TreeNode[] = [];
	for (const { id } of order) {
		const parent = parentOf(id);
		if (parent !== null && !onCycle(id, parentOf)) nodes.get(parent)!.children.push(nodes.get(id)!);
		else roots.push(nodes.get(id)!);
	}
	return roots;
}

function onCycle(id: string, parentOf: (id: string) => string | null): boolean {
	const seen = new Set<string>();
	for (let at: string | null = id; at !== null; at = parentOf(at)) {
		if (seen.has(at)) return true;
		seen.add(at);
	}
	return false;
}
