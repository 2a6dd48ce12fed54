import type * as Y from 'yjs';
import { getItems } from '$shared/doc';
import { readEstimate } from '$shared/estimates';
import { backlogTree, type TreeNode } from '$shared/hierarchy';
import { itemSet, itemString, itemText, type ItemKind, type ItemStatus } from '$shared/item';
import { readLabels } from '$shared/labels';
import { readSource, type ItemSource } from '$shared/source';

/** An item's neighbours among its siblings: what a keyboard move needs. */
export interface Siblings {
	/** 0-based place among its siblings. */
	index: number;
	count: number;
	previous: string | null;
	next: string | null;
	first: string;
	last: string;
}

/** One line of the backlog list: plain data read from the document, safe to render. */
export interface BacklogRow {
	id: string;
	/** Position as shown: "3" for the third top-level item, "3.1" for its first child. */
	number: string;
	/** 0 for top-level items, 1 for their children, ... */
	depth: number;
	kind: ItemKind;
	status: ItemStatus;
	title: string;
	labels: string[];
	estimate: string | null;
	stale: boolean;
	/** Where it lives in the tracker it was imported from, or null. */
	source: ItemSource | null;
	/** How many items this one is marked as blocked by. */
	blockers: number;
	childCount: number;
	parentId: string | null;
	siblings: Siblings;
}

/** What a row reads from its own item; cached per item between changes (see `BacklogView`). */
export type ItemFields = Pick<BacklogRow, 'kind' | 'status' | 'title' | 'labels' | 'estimate' | 'stale' | 'source' | 'blockers'>;

function readFields(item: Y.Map<unknown>): ItemFields {
	const estimate = readEstimate(item);
	return {
		kind: itemString(item, 'kind') as ItemKind,
		status: itemString(item, 'status') as ItemStatus,
		title: itemText(item, 'title').toString(),
		labels: readLabels(item),
		estimate: estimate.value,
		stale: estimate.stale,
		source: readSource(item),
		blockers: itemSet(item, 'blockedBy').keys().length
	};
}

function sameRow(a: BacklogRow, b: BacklogRow): boolean {
	const [x, y] = [a.siblings, b.siblings];
	return (
		a.number === b.number &&
		a.depth === b.depth &&
		a.childCount === b.childCount &&
		a.parentId === b.parentId &&
		x.index === y.index &&
		x.count === y.count &&
		x.previous === y.previous &&
		x.next === y.next &&
		x.first === y.first &&
		x.last === y.last
	);
}

/**
 * The live backlog as list rows, depth first: each item followed by its children, siblings in
 * rank order (the order of `backlogTree`, so every live item appears exactly once).
 *
 * For a large room read after every keystroke, pass a `cache`: item fields are read again only
 * for items removed from `cache.fields` since, and a row equal to the one in `cache.rows` is
 * reused as the same object, so a keyed `{#each}` leaves it alone.
 */
export function backlogRows(doc: Y.Doc, cache?: { fields: Map<string, ItemFields>; rows: Map<string, BacklogRow> }): BacklogRow[] {
	const items = getItems(doc);
	const rows: BacklogRow[] = [];
	const visit = (nodes: TreeNode[], prefix: string, depth: number, parentId: string | null) => {
		nodes.forEach((node, index) => {
			let fields = cache?.fields.get(node.id);
			const fresh = fields === undefined;
			if (!fields) {
				fields = readFields(items.get(node.id)!);
				cache?.fields.set(node.id, fields);
			}
			const number = prefix + String(index + 1);
			let row: BacklogRow = {
				id: node.id,
				number,
				depth,
				...fields,
				childCount: node.children.length,
				parentId,
				siblings: {
					index,
					count: nodes.length,
					previous: nodes[index - 1]?.id ?? null,
					next: nodes[index + 1]?.id ?? null,
					first: nodes[0].id,
					last: nodes[nodes.length - 1].id
				}
			};
			const before = cache?.rows.get(node.id);
			if (before && !fresh && sameRow(before, row)) row = before;
			rows.push(row);
			visit(node.children, number + '.', depth + 1, node.id);
		});
	};
	visit(backlogTree(doc), '', 0, null);
	if (cache) cache.rows = new Map(rows.map((row) => [row.id, row]));
	return rows;
}
