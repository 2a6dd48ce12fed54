import type { CriterionState, ItemState, RoomState } from './roomState';

/** A plain field whose value is replaced as a whole. */
export type ValueField = 'kind' | 'status' | 'estimate' | 'parent';
/** A field stored as a set of flat keys. */
export type SetField = 'labels' | 'ready' | 'blockedBy';

/** One thing that happened to one item between two states. */
export type Change =
	| { type: 'added' }
	/** Put in the trash. */
	| { type: 'deleted' }
	/** Taken back out of the trash. */
	| { type: 'restored' }
	/** Gone from the room altogether (not in the trash): only restoring a version brings it back. */
	| { type: 'removed' }
	/** `places` > 0: further down the backlog, among the items that are in both states. */
	| { type: 'moved'; places: number }
	/** New children made from this item, and the criteria that went to them. */
	| { type: 'split'; children: { id: string; title: string }[]; criteria: string[] }
	| { type: 'text'; field: 'title' | 'description'; before: string; after: string }
	| { type: 'value'; field: ValueField; before: string | null; after: string | null }
	| { type: 'set'; field: SetField; added: string[]; removed: string[] }
	| { type: 'criterion'; id: string; change: 'added' | 'removed'; text: string }
	| { type: 'criterion'; id: string; change: 'edited'; before: string; after: string }
	| { type: 'criterion'; id: string; change: 'done' | 'undone'; text: string };

/** An item's changes, with the title it has now (or had last). */
export interface ItemChanges {
	id: string;
	title: string;
	changes: Change[];
}

const VALUE_FIELDS: readonly ValueField[] = ['kind', 'status', 'estimate', 'parent'];
const SET_FIELDS: readonly SetField[] = ['labels', 'ready', 'blockedBy'];

const NONE: ReadonlySet<string> = new Set();

const isLive = (item: ItemState | undefined): boolean => item !== undefined && item.deletedAt === null;

/**
 * Items that changed place: those off a longest run kept in the same order (patience sorting,
 * O(n log n)), so one item dragged three places down is one move, not four.
 */
function movedItems(before: RoomState, after: RoomState): Map<string, number> {
	const afterIds = new Set(after.order);
	const common = before.order.filter((id) => afterIds.has(id));
	const beforeIndex = new Map(common.map((id, i) => [id, i]));
	const sequence = after.order.filter((id) => beforeIndex.has(id));
	const values = sequence.map((id) => beforeIndex.get(id)!);
	const tails: number[] = [];
	const tailAt: number[] = [];
	const previous = new Array<number>(values.length).fill(-1);
	values.forEach((value, i) => {
		let low = 0;
		let high = tails.length;
		while (low < high) {
			const mid = (low + high) >> 1;
			if (tails[mid] < value) low = mid + 1;
			else high = mid;
		}
		tails[low] = value;
		tailAt[low] = i;
		previous[i] = low > 0 ? tailAt[low - 1] : -1;
	});
	const kept = new Set<number>();
	for (let i = tails.length ? tailAt[tails.length - 1] : -1; i >= 0; i = previous[i]) kept.add(i);
	const moved = new Map<string, number>();
	sequence.forEach((id, i) => {
		if (!kept.has(i)) moved.set(id, i - beforeIndex.get(id)!);
	});
	return moved;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const sameCriteria = (a: readonly CriterionState[], b: readonly CriterionState[]): boolean =>
	a.length === b.length && a.every((x, i) => x.id === b[i].id && x.text === b[i].text && x.done === b[i].done && x.removed === b[i].removed);

function setDifference(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
	const was = new Set(before);
	const now = new Set(after);
	return { added: after.filter((x) => !was.has(x)), removed: before.filter((x) => !now.has(x)) };
}

function criteriaChanges(before: CriterionState[], after: CriterionState[], movedAway: ReadonlySet<string>): Change[] {
	const out: Change[] = [];
	// Most items of a big room are untouched between two meetings: skip building their maps.
	if (sameCriteria(before, after)) return out;
	const was = new Map(before.map((c) => [c.id, c]));
	const now = new Map(after.map((c) => [c.id, c]));
	for (const c of after) {
		const old = was.get(c.id);
		const oldLive = old !== undefined && !old.removed;
		if (c.removed) {
			if (oldLive && !movedAway.has(c.id)) out.push({ type: 'criterion', id: c.id, change: 'removed', text: old.text });
			continue;
		}
		if (!oldLive) {
			out.push({ type: 'criterion', id: c.id, change: 'added', text: c.text });
			continue;
		}
		if (old.text !== c.text) out.push({ type: 'criterion', id: c.id, change: 'edited', before: old.text, after: c.text });
		if (old.done !== c.done) out.push({ type: 'criterion', id: c.id, change: c.done ? 'done' : 'undone', text: c.text });
	}
	for (const c of before) {
		if (!c.removed && !now.has(c.id) && !movedAway.has(c.id)) out.push({ type: 'criterion', id: c.id, change: 'removed', text: c.text });
	}
	return out;
}

/** What changed in an item that is in both states (whatever the trash says). */
function fieldChanges(before: ItemState, after: ItemState, movedAway: ReadonlySet<string>): Change[] {
	const out: Change[] = [];
	for (const field of ['title', 'description'] as const) {
		if (before[field] !== after[field]) out.push({ type: 'text', field, before: before[field], after: after[field] });
	}
	for (const field of VALUE_FIELDS) {
		if (before[field] !== after[field]) out.push({ type: 'value', field, before: before[field], after: after[field] });
	}
	for (const field of SET_FIELDS) {
		// Sets are read sorted, so equal sets are equal lists.
		if (sameList(before[field], after[field])) continue;
		const { added, removed } = setDifference(before[field], after[field]);
		if (added.length || removed.length) out.push({ type: 'set', field, added, removed });
	}
	out.push(...criteriaChanges(before.criteria, after.criteria, movedAway));
	return out;
}

/**
 * Everything that changed between two states of a room, grouped by item, in the later
 * state's backlog order (then items in its trash, then items gone from it). Each edit is
 * reported once: a split is one change on the parent listing its new children (and the
 * criteria they took), not an add per child and a removal per criterion; an item added and
 * trashed in between is not reported; a move is reported for the fewest items that explain the
 * new order. Pure: used by the room's History panel and the rooms CLI.
 * @example changesBetween(readRoomState(lastWeek), readRoomState(session.doc))
 */
export function changesBetween(before: RoomState, after: RoomState): ItemChanges[] {
	const moved = movedItems(before, after);
	const position = new Map(after.order.map((id, i) => [id, i]));
	const byItem = new Map<string, Change[]>();
	const add = (id: string, change: Change) => {
		const list = byItem.get(id);
		if (list) list.push(change);
		else byItem.set(id, [change]);
	};
	// Split children: new items whose parent was already there.
	const splits = new Map<string, { children: { id: string; title: string }[]; criteria: string[] }>();
	for (const item of after.items.values()) {
		if (before.items.has(item.id) || !isLive(item) || item.parent === null || !before.items.has(item.parent)) continue;
		const split = splits.get(item.parent) ?? { children: [], criteria: [] };
		split.children.push({ id: item.id, title: item.title });
		split.criteria.push(...item.criteria.filter((c) => !c.removed).map((c) => c.id));
		splits.set(item.parent, split);
	}
	for (const item of after.items.values()) {
		const old = before.items.get(item.id);
		if (old === undefined) {
			const splitChild = item.parent !== null && before.items.has(item.parent);
			if (isLive(item) && !splitChild) add(item.id, { type: 'added' });
			continue;
		}
		if (isLive(old) && !isLive(item)) add(item.id, { type: 'deleted' });
		if (!isLive(old) && isLive(item)) add(item.id, { type: 'restored' });
		const places = moved.get(item.id);
		if (places !== undefined) add(item.id, { type: 'moved', places });
		const split = splits.get(item.id);
		if (split) {
			split.children.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
			add(item.id, { type: 'split', children: split.children, criteria: split.criteria });
		}
		for (const change of fieldChanges(old, item, split ? new Set(split.criteria) : NONE)) add(item.id, change);
	}
	for (const item of before.items.values()) if (!after.items.has(item.id)) add(item.id, { type: 'removed' });

	const rankOf = (id: string) => position.get(id) ?? (after.items.has(id) ? after.order.length : after.order.length + 1);
	return [...byItem]
		.map(([id, changes]) => ({ id, title: (after.items.get(id) ?? before.items.get(id))!.title, changes }))
		.sort((a, b) => rankOf(a.id) - rankOf(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How many changes in all (the number the History panel shows). */
export function countChanges(items: readonly ItemChanges[]): number {
	return items.reduce((sum, item) => sum + item.changes.length, 0);
}
