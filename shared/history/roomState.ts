import * as Y from 'yjs';
import { getItems, getMeta, type ItemMap } from '../doc';
import { DEFAULT_KIND, DEFAULT_STATUS, F } from '../item';
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

function readCriteriaAll(list: Y.Array<unknown>): CriterionState[] {
	const out: CriterionState[] = [];
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

const SET_PREFIXES = [
	['labels:', 'labels'],
	['ready:', 'ready'],
	['blockedBy:', 'blockedBy']
] as const;

const plainText = (value: unknown): string => (value instanceof Y.Text || typeof value === 'string' ? value.toString() : '');

/**
 * Read one item's state; tolerant of fields a hostile or older peer left malformed. One pass over
 * the item's keys (sets are stored as flat `labels:x` keys), since a 2,000-item room is read on
 * every comparison with the open room.
 */
export function readItemState(item: ItemMap, id: string, rank: string): ItemState {
	const state: ItemState = {
		id,
		title: '',
		description: '',
		kind: DEFAULT_KIND,
		status: DEFAULT_STATUS,
		estimate: null,
		parent: null,
		deletedAt: null,
		labels: [],
		ready: [],
		blockedBy: [],
		criteria: [],
		rank
	};
	for (const [key, value] of item) {
		switch (key) {
			case F.title:
			case F.description:
				state[key] = plainText(value);
				break;
			case F.kind:
			case F.status:
				if (typeof value === 'string') state[key] = value;
				break;
			case F.estimate:
			case F.parent:
				if (typeof value === 'string') state[key] = value;
				break;
			case F.deletedAt:
				if (typeof value === 'number') state.deletedAt = value;
				break;
			case F.criteria:
				if (value instanceof Y.Array) state.criteria = readCriteriaAll(value);
				break;
			default:
				if (value !== true) break;
				for (const [prefix, field] of SET_PREFIXES) {
					if (key.startsWith(prefix)) {
						state[field].push(key.slice(prefix.length));
						break;
					}
				}
		}
	}
	state.labels.sort();
	state.ready.sort();
	state.blockedBy.sort();
	return state;
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
