import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { getItems } from '$shared/doc';
import { F, itemNullable, itemText } from '$shared/item';

/** An item in the trash, as the trash lists it, with the trashed children under it. */
export interface TrashedItem {
	id: string;
	title: string;
	deletedAt: number;
	children: TrashedItem[];
}

/**
 * The trash as a tree: items whose parent is in the trash too are listed under it (deleting a
 * parent takes its children along, and restoring it brings them back), the rest at the top,
 * most recently deleted first. Pure, for tests; `TrashView` reads it from the document.
 */
export function trashTree(entries: readonly { id: string; title: string; deletedAt: number; parent: string | null }[]): TrashedItem[] {
	const nodes = new Map(entries.map((entry) => [entry.id, { id: entry.id, title: entry.title, deletedAt: entry.deletedAt, children: [] as TrashedItem[] }]));
	const top: TrashedItem[] = [];
	for (const entry of entries) {
		const node = nodes.get(entry.id)!;
		const parent = entry.parent === null ? undefined : nodes.get(entry.parent);
		// A parent link to itself, or a loop a hostile peer wrote, must not hide the item: only a
		// parent that is itself reachable from the top takes it in (checked below).
		if (parent && parent !== node) parent.children.push(node);
		else top.push(node);
	}
	// Anything on a parent loop never reached the top: list it there rather than lose it.
	const reached = new Set<string>();
	const walk = (list: TrashedItem[]) => {
		for (const node of list) {
			if (reached.has(node.id)) continue;
			reached.add(node.id);
			walk(node.children);
		}
	};
	walk(top);
	for (const node of nodes.values()) {
		if (reached.has(node.id)) continue;
		top.push(node);
		walk([node]);
	}
	const order = (a: TrashedItem, b: TrashedItem) => b.deletedAt - a.deletedAt || a.title.localeCompare(b.title);
	// Each item once: a loop's way back to an item already listed is cut.
	const seen = new Set<string>();
	const sort = (list: TrashedItem[]): TrashedItem[] => {
		const once = list.filter((node) => !seen.has(node.id) && seen.add(node.id)).sort(order);
		for (const node of once) node.children = sort(node.children);
		return once;
	};
	return sort(top);
}

/** The items in the trash, read from the document on each access (see `trashTree`). */
export class TrashView {
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			items.observeDeep(update);
			return () => items.unobserveDeep(update);
		});
	}

	/** Trashed items at the top of the trash, each with its trashed children. */
	get items(): TrashedItem[] {
		this.#subscribe();
		const entries = [];
		for (const [id, item] of getItems(this.#doc)) {
			const deletedAt = item.get(F.deletedAt);
			if (typeof deletedAt === 'number') entries.push({ id, title: itemText(item, 'title').toString(), deletedAt, parent: itemNullable(item, 'parent') });
		}
		return trashTree(entries);
	}

	/** Every trashed id, for "Restore all". */
	get allIds(): string[] {
		const out: string[] = [];
		const walk = (list: TrashedItem[]) => list.forEach((node) => (out.push(node.id), walk(node.children)));
		walk(this.items);
		return out;
	}
}
