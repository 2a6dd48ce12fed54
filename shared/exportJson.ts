import type * as Y from 'yjs';
import { getItems, getRounds } from './doc';
import { readCriteria } from './criteria';
import { readEstimate } from './estimates';
import { F, itemCriteria, itemNullable, itemSet, itemString, itemText, type ItemKind, type ItemStatus } from './item';
import { readMeta, type RoomSettings } from './meta';
import type { Deck } from './poker/decks';
import { readyChecklist, type ReadyCheck } from './ready';
import { isRank } from './rank';
import { readSource, type ItemSource } from './source';

/**
 * The JSON export of a whole room (documented in docs/ROOM-JSON.md). It has full
 * fidelity: importing it into a new room recreates the room, items in the trash,
 * criteria and poker history included.
 */
export const ROOM_JSON_FORMAT = 'refinery.room';

export interface RoomJson {
	format: typeof ROOM_JSON_FORMAT;
	/** The schema version of the document it came from. */
	schemaVersion: number;
	exportedAt: string;
	room: {
		name: string;
		deck: Deck | null;
		createdAt: number | null;
		settings: RoomSettings;
		readyChecklist: ReadyCheck[];
	};
	items: ItemJson[];
	/** Poker rounds as stored (roundId → round record). */
	rounds: Record<string, Record<string, unknown>>;
}

export interface ItemJson {
	id: string;
	title: string;
	description: string;
	kind: ItemKind;
	status: ItemStatus;
	labels: string[];
	/** Ids of the Definition-of-Ready checks ticked. */
	ready: string[];
	estimate: string | null;
	estimateStale: boolean;
	rank: string;
	parent: string | null;
	blockedBy: string[];
	/** Live acceptance criteria, in order. */
	criteria: { id: string; text: string; done: boolean }[];
	/** Removed criteria (removal is soft), kept so an export loses nothing. */
	removedCriteria: RemovedCriterionJson[];
	createdAt: number | null;
	createdBy: string;
	deletedAt: number | null;
	/** Where it lives in the team's tracker; left out when it came from no tracker. */
	source?: ItemSource;
}

export interface RemovedCriterionJson {
	id: string;
	text: string;
	done: boolean;
	deletedAt: number;
}

/** An item's removed criteria, oldest removal first. */
function removedCriteria(item: Y.Map<unknown>): RemovedCriterionJson[] {
	const out: RemovedCriterionJson[] = [];
	for (const map of itemCriteria(item)) {
		const deletedAt = map.get('deletedAt');
		if (typeof deletedAt !== 'number') continue;
		out.push({ id: map.get('id') as string, text: String(map.get('text') ?? ''), done: map.get('done') === true, deletedAt });
	}
	return out.sort((a, b) => a.deletedAt - b.deletedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One item as JSON. */
export function itemToJson(item: Y.Map<unknown>): ItemJson {
	const estimate = readEstimate(item);
	const rank: unknown = itemString(item, 'rank');
	const source = readSource(item);
	const json: ItemJson = {
		id: itemString(item, 'id'),
		title: itemText(item, 'title').toString(),
		description: itemText(item, 'description').toString(),
		kind: itemString(item, 'kind') as ItemKind,
		status: itemString(item, 'status') as ItemStatus,
		labels: [...itemSet(item, 'labels').keys()].sort(),
		ready: [...itemSet(item, 'ready').keys()].sort(),
		estimate: estimate.value,
		estimateStale: estimate.stale,
		rank: isRank(rank) ? rank : '',
		parent: itemNullable(item, 'parent'),
		blockedBy: [...itemSet(item, 'blockedBy').keys()].sort(),
		criteria: readCriteria(item).map(({ id, text, done }) => ({ id, text, done })),
		removedCriteria: removedCriteria(item),
		createdAt: (item.get(F.createdAt) as number | undefined) ?? null,
		createdBy: (item.get(F.createdBy) as string | undefined) ?? '',
		deletedAt: itemNullable<number>(item, 'deletedAt')
	};
	if (source) json.source = source;
	return json;
}

/**
 * Export a whole room as JSON-ready data, items in backlog order (the trash last).
 * @example JSON.stringify(exportRoom(doc), null, 2)
 */
export function exportRoom(doc: Y.Doc, now = new Date()): RoomJson {
	const meta = readMeta(doc);
	const items = [...getItems(doc).values()].map(itemToJson);
	items.sort((a, b) => Number(a.deletedAt !== null) - Number(b.deletedAt !== null) || (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1));
	const rounds: RoomJson['rounds'] = {};
	for (const [id, round] of getRounds(doc)) rounds[id] = round.toJSON() as Record<string, unknown>;
	return {
		format: ROOM_JSON_FORMAT,
		schemaVersion: meta.schemaVersion,
		exportedAt: now.toISOString(),
		room: {
			name: meta.name,
			deck: meta.deck,
			createdAt: meta.createdAt,
			settings: meta.settings,
			readyChecklist: readyChecklist(doc)
		},
		items,
		rounds
	};
}
