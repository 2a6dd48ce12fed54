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

function samePlace(a: Place, b: Place): boolean {
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

/** An item's fields when it is gone from the document (a row kept a moment longer by the list). */
const NO_FIELDS: ItemFields = { kind: 'story', status: 'new', title: '', labels: [], estimate: null, stale: false, source: null, blockers: 0 };

type Place = Omit<BacklogRow, keyof ItemFields>;

/**
 * A row whose item fields are read from the document when first asked for (and then kept in the
 * cache): the list renders a window of rows, so a room's first screen reads a dozen items, not
 * every one. The fields are getters on the prototype (no closures per row); a spread of a row
 * would drop them, so rows are read, never spread.
 */
class LazyRow implements BacklogRow {
	readonly id: string;
	readonly number: string;
	readonly depth: number;
	readonly childCount: number;
	readonly parentId: string | null;
	readonly siblings: Siblings;
	#fields: ItemFields | undefined;
	readonly #items: Y.Map<Y.Map<unknown>>;
	readonly #cache: Map<string, ItemFields> | undefined;

	constructor(place: Place, items: Y.Map<Y.Map<unknown>>, cache: Map<string, ItemFields> | undefined) {
		this.id = place.id;
		this.number = place.number;
		this.depth = place.depth;
		this.childCount = place.childCount;
		this.parentId = place.parentId;
		this.siblings = place.siblings;
		this.#items = items;
		this.#cache = cache;
		this.#fields = cache?.get(place.id);
	}

	/** True once the fields were read: an unread row holds nothing that could be out of date. */
	get loaded(): boolean {
		return this.#fields !== undefined;
	}

	#read(): ItemFields {
		if (this.#fields) return this.#fields;
		const item = this.#items.get(this.id);
		if (!item) return NO_FIELDS;
		this.#fields = readFields(item);
		this.#cache?.set(this.id, this.#fields);
		return this.#fields;
	}

	get kind() {
		return this.#read().kind;
	}
	get status() {
		return this.#read().status;
	}
	get title() {
		return this.#read().title;
	}
	get labels() {
		return this.#read().labels;
	}
	get estimate() {
		return this.#read().estimate;
	}
	get stale() {
		return this.#read().stale;
	}
	get source() {
		return this.#read().source;
	}
	get blockers() {
		return this.#read().blockers;
	}
}

/**
 * The live backlog as list rows, depth first: each item followed by its children, siblings in
 * rank order (the order of `backlogTree`, so every live item appears exactly once).
 *
 * For a large room read after every keystroke, pass a `cache`: item fields are read again only
 * for items removed from `cache.fields` since, and a row equal to the one in `cache.rows` is
 * reused as the same object, so a keyed `{#each}` leaves it alone. Fields are read when a row is
 * first asked for them (`LazyRow`).
 */
export function backlogRows(doc: Y.Doc, cache?: { fields: Map<string, ItemFields>; rows: Map<string, BacklogRow> }): BacklogRow[] {
	const items = getItems(doc);
	const rows: BacklogRow[] = [];
	const visit = (nodes: TreeNode[], prefix: string, depth: number, parentId: string | null) => {
		nodes.forEach((node, index) => {

			const number = prefix + String(index + 1);
			const place = {
				id: node.id,
				number,
				depth,
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
			// Reused when in the same place and its fields are still cached, or were never read (it reads them when asked).
			const current = before !== undefined && samePlace(before, place) && (cache!.fields.has(node.id) || (before instanceof LazyRow && !before.loaded));
			rows.push(current ? before : new LazyRow(place, items, cache?.fields));
			visit(node.children, number + '.', depth + 1, node.id);
		});
	};
	visit(backlogTree(doc), '', 0, null);
	if (cache) cache.rows = new Map(rows.map((row) => [row.id, row]));
	return rows;
}
