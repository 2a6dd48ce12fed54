import * as Y from 'yjs';
import { getItems, getMeta, type ItemMap } from '../doc';
import { F, itemSet, itemString } from '../item';
import { compareRanked, isRank } from '../rank';
import { loggedRanks } from '../rankLog';

/** One acceptance criterion as it stood, removed ones included (they can come back). */
export interface CriterionState {
	id: string;
	text: string;
	done: boolean;
	rank: string;
	removed: boolean;
}

/** One item as it stood: plain data, so two moments can be compared without their documents. */
export interface ItemState {
	id: string;
	title: string;
	description: string;
	kind: string;
	status: string;
	estimate: string | null;
	parent: string | null;
	/** Set when the item is in the trash. */
	deletedAt: number | null;
	labels: string[];
	ready: string[];
	blockedBy: string[];
	criteria: CriterionState[];
	rank: string;
}

/** A room at one moment, as the history compares it. */
export interface RoomState {
	name: string;
	items: Map<string, ItemState>;
	/** Ids of live items (not in the trash) in backlog order. */
	order: string[];
}

function readCriteriaAll(item: ItemMap): CriterionState[] {
	const out: CriterionState[] = [];
	const list = item.get(F.criteria);
	if (!(list instanceof Y.Array)) return out;
	for (const map of list) {
		if (!(map instanceof Y.Map)) continue;
		const id = map.get('id');
		if (typeof id !== 'string') continue;
		const text = map.get('text');
		const rank = map.get('rank');
		out.push({ id, text: text ? String(text.toString()) : '', done: map.get('done') === true, rank: isRank(rank) ? rank : '', removed: map.get('deletedAt') != null });
	}
	return out.sort(compareRanked);
}

/** Read one item's state; tolerant of fields a hostile or older peer left malformed. */
export function readItemState(item: ItemMap, id: string, rank: string): ItemState {
	const text = (field: 'title' | 'description') => {
		const value = item.get(field);
		return value instanceof Y.Text || typeof value === 'string' ? value.toString() : '';
	};
	const nullable = <T>(field: string, type: string): T | null => {
		const value = item.get(field);
		return typeof value === type ? (value as T) : null;
	};
	return {
		id,
		title: text('title'),
		description: text('description'),
		kind: itemString(item, 'kind'),
		status: itemString(item, 'status'),
		estimate: nullable<string>(F.estimate, 'string'),
		parent: nullable<string>(F.parent, 'string'),
		deletedAt: nullable<number>(F.deletedAt, 'number'),
		labels: itemSet(item, 'labels').keys().sort(),
		ready: itemSet(item, 'ready').keys().sort(),
		blockedBy: itemSet(item, 'blockedBy').keys().sort(),
		criteria: readCriteriaAll(item),
		rank
	};
}

/**
 * The room's items as plain data, trash included, and the order of the live ones.
 * @example changesBetween(readRoomState(versionDoc), readRoomState(session.doc))
 */
export function readRoomState(doc: Y.Doc): RoomState {
	const items = new Map<string, ItemState>();
	const logged = loggedRanks(doc);
	const live: { id: string; rank: string }[] = [];
	for (const [id, item] of getItems(doc)) {
		const raw = logged.get(id) ?? item.get(F.rank);
		const rank = isRank(raw) ? raw : '';
		const state = readItemState(item, id, rank);
		items.set(id, state);
		if (state.deletedAt === null) live.push({ id, rank });
	}
	const name = getMeta(doc).get('name');
	return { name: typeof name === 'string' ? name : '', items, order: live.sort(compareRanked).map((entry) => entry.id) };
}
