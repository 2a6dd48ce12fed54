import type * as Y from 'yjs';
import { getItems, requireItem, InvalidInputError, type ItemMap } from './doc';
import { F, isDeleted } from './item';
import type { Origin } from './origins';
import { compareRanked, isRank, rankBetween, ranksBetween } from './rank';
import { loggedRanks, writeRanks, type RankEntry } from './rankLog';

/** Where to put moved items. */
export type MoveTarget = { before: string } | { after: string } | 'top' | 'bottom';

export interface Ranked {
	id: string;
	rank: string;
	item: ItemMap;
}

function ranked(item: ItemMap, id: string, logged: ReadonlyMap<string, string>): Ranked {
	// The log, else the field of a room from before it (or of an item an older app made).
	const rank = logged.get(id) ?? item.get(F.rank);
	// A rank that is not well-formed (an old or hostile peer) sorts first until repaired.
	return { id, rank: isRank(rank) ? rank : '', item };
}

/** Live items (not in the trash) in backlog order: sorted by (rank, id), total and stable. */
export function orderedItems(doc: Y.Doc): Ranked[] {
	const out: Ranked[] = [];
	const logged = loggedRanks(doc);
	for (const [id, item] of getItems(doc)) if (!isDeleted(item)) out.push(ranked(item, id, logged));
	return out.sort(compareRanked);
}

/** Ids of live items in backlog order. */
export function orderedIds(doc: Y.Doc): string[] {
	return orderedItems(doc).map((entry) => entry.id);
}

/** The rank of the last live item, or null in an empty backlog. */
export function lastLiveRank(doc: Y.Doc): string | null {
	let last: string | null = null;
	const logged = loggedRanks(doc);
	for (const [id, item] of getItems(doc)) {
		if (isDeleted(item)) continue;
		const rank = logged.get(id) ?? item.get(F.rank);
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
		const logged = loggedRanks(doc);
		const moved = ids.map((id) => ranked(requireItem(doc, id), id, logged));
		moved.sort((x, y) => Number(isDeleted(x.item)) - Number(isDeleted(y.item)) || compareRanked(x, y));
		const ranks = ranksBetween(gap.before, gap.after, moved.length, moved.map((e) => e.id).join(','));
		writeRanks(doc, moved.map((entry, i): RankEntry => [entry.id, ranks[i]]));
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
	const logged = loggedRanks(doc);
	if (typeof target === 'object') {
		const id = 'before' in target ? target.before : target.after;
		const item = requireItem(doc, id);
		// An anchor in the trash: place at the bottom rather than fail the person's drag.
		if (!isDeleted(item)) anchor = ranked(item, id, logged);
	}
	const mode = anchor === null ? (target === 'top' ? 'top' : 'bottom') : 'before' in (target as object) ? 'before' : 'after';
	let low: Ranked | null = mode === 'after' ? anchor : null;
	let high: Ranked | null = mode === 'before' ? anchor : null;
	for (const [id, item] of getItems(doc)) {
		if (moving.has(id) || id === anchor?.id || isDeleted(item)) continue;
		const entry = ranked(item, id, logged);
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
		const writes: RankEntry[] = [];
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
				for (let k = start; k < j; k++) writes.push([order[k].id, ranks[k - start]]);
				changed += j - start;
			}
			i = j;
		}
		writeRanks(doc, writes);
	}, origin);
	return changed;
}
