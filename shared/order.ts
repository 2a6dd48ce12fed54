import type * as Y from 'yjs';
import { getItems, requireItem, InvalidInputError, type ItemMap } from './doc';
import { F, isDeleted } from './item';
import type { Origin } from './origins';
import { compareRanked, isRank, rankBetween, ranksBetween } from './rank';

/** Where to put moved items. */
export type MoveTarget = { before: string } | { after: string } | 'top' | 'bottom';

export interface Ranked {
	id: string;
	rank: string;
	item: ItemMap;
}

function ranked(item: ItemMap, id = item.get(F.id) as string): Ranked {
	const rank = item.get(F.rank);
	// A rank that is not well-formed (an old or hostile peer) sorts first until repaired.
	return { id, rank: isRank(rank) ? rank : '', item };
}

/** Live items (not in the trash) in backlog order: sorted by (rank, id), total and stable. */
export function orderedItems(doc: Y.Doc): Ranked[] {
	const out: Ranked[] = [];
	for (const [id, item] of getItems(doc)) if (!isDeleted(item)) out.push(ranked(item, id));
	return out.sort(compareRanked);
}

/** Ids of live items in backlog order. */
export function orderedIds(doc: Y.Doc): string[] {
	return orderedItems(doc).map((entry) => entry.id);
}

/** The rank of the last live item, or null in an empty backlog. */
export function lastLiveRank(doc: Y.Doc): string | null {
	let last: string | null = null;
	for (const item of getItems(doc).values()) {
		if (isDeleted(item)) continue;
		const rank = item.get(F.rank);
		if (isRank(rank) && (last === null || rank > last)) last = rank;
	}
	return last;
}

/**
 * Move one item. Rewrites that item's rank and nothing else, so two people
 * dragging at once converge and nothing is duplicated.
 * @example moveItem(doc, id, { before: otherId }, origin)
 */
export function moveItem(doc: Y.Doc, id: string, target: MoveTarget, origin: Origin): void {
	moveItems(doc, [id], target, origin);
}

/**
 * Move several items at once: they land next to each other at the target, in
 * their current backlog order. One transaction, so one undo step.
 */
export function moveItems(doc: Y.Doc, ids: readonly string[], target: MoveTarget, origin: Origin): void {
	if (ids.length === 0) return;
	doc.transact(() => {
		for (const id of ids) requireItem(doc, id);
		const moving = new Set(ids);
		if (typeof target === 'object') {
			const anchor = 'before' in target ? target.before : target.after;
			if (moving.has(anchor)) throw new InvalidInputError('Cannot move items next to one of themselves');
			requireItem(doc, anchor);
		}
		let gap = findGap(doc, moving, target);
		if (gap.collides) {
			repairRanks(doc, origin);
			gap = findGap(doc, moving, target);
		}
		// Moved items keep their relative order; those in the trash go last among them.
		const moved = ids.map((id) => ranked(requireItem(doc, id)));
		moved.sort((x, y) => Number(isDeleted(x.item)) - Number(isDeleted(y.item)) || compareRanked(x, y));
		const ranks = ranksBetween(gap.before, gap.after, moved.length, moved.map((e) => e.id).join(','));
		moved.forEach((entry, i) => entry.item.set(F.rank, ranks[i]));
	}, origin);
}

interface Gap {
	before: string | null;
	after: string | null;
	collides: boolean;
}

/**
 * The neighbours of the place the moved items go to, by one linear scan rather than
 * a sort: moves are the most frequent action in a meeting.
 */
function findGap(doc: Y.Doc, moving: Set<string>, target: MoveTarget): Gap {
	let anchor: Ranked | null = null;
	if (typeof target === 'object') {
		const item = requireItem(doc, 'before' in target ? target.before : target.after);
		// An anchor in the trash: place at the bottom rather than fail the person's drag.
		if (!isDeleted(item)) anchor = ranked(item);
	}
	const mode = anchor === null ? (target === 'top' ? 'top' : 'bottom') : 'before' in (target as object) ? 'before' : 'after';
	let low: Ranked | null = mode === 'after' ? anchor : null;
	let high: Ranked | null = mode === 'before' ? anchor : null;
	for (const [id, item] of getItems(doc)) {
		if (moving.has(id) || id === anchor?.id || isDeleted(item)) continue;
		const entry = ranked(item, id);
		const belowAnchor = anchor !== null && compareRanked(entry, anchor) < 0;
		if ((mode === 'bottom' || (mode === 'before' && belowAnchor)) && (low === null || compareRanked(entry, low) > 0)) low = entry;
		if ((mode === 'top' || (mode === 'after' && !belowAnchor)) && (high === null || compareRanked(entry, high) < 0)) high = entry;
	}
	const before = low?.rank ?? null;
	const after = high?.rank ?? null;
	const collides = before === '' || after === '' || (before !== null && after !== null && before >= after);
	return { before, after, collides };
}

/**
 * Give distinct, well-formed ranks to live items whose ranks collide (two peers
 * picked the same rank) or are malformed. The order shown does not change.
 * Deterministic, so two peers repairing at once write the same ranks.
 */
export function repairRanks(doc: Y.Doc, origin: Origin): number {
	let changed = 0;
	doc.transact(() => {
		const order = orderedItems(doc);
		let i = 0;
		while (i < order.length) {
			let j = i + 1;
			while (j < order.length && order[j].rank === order[i].rank) j++;
			const malformed = order[i].rank === '';
			if (j - i > 1 || malformed) {
				const low = malformed ? null : order[i].rank;
				const high = j < order.length ? order[j].rank : null;
				const start = malformed ? i : i + 1;
				const ranks = ranksBetween(low, high, j - start, order.slice(start, j).map((e) => e.id).join(','));
				for (let k = start; k < j; k++) order[k].item.set(F.rank, ranks[k - start]);
				changed += j - start;
			}
			i = j;
		}
	}, origin);
	return changed;
}
