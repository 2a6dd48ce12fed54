import * as Y from 'yjs';
import { getItems, getMeta, getRounds, RefineryError } from './doc';
import { buildCriterion } from './criteria';
import { scopeFingerprint } from './estimates';
import { ROOM_JSON_FORMAT, type ItemJson, type RoomJson } from './exportJson';
import { F, isItemKind, isItemStatus, itemCriteria, itemSet, itemText, type FlatSet } from './item';
import { buildItem, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from './items';
import { writeRanks, type RankEntry } from './rankLog'; // model helper: ranks live in a log now
import { lastLiveRank } from './order';
import type { Origin } from './origins';
import { isRank, rankBetween, ranksBetween } from './rank';
import { SCHEMA_VERSION } from './schema';
import { checkSource, type ItemSource } from './source';
import { replaceText } from './text';

/** A JSON file that is not a Refinery room export; `path` says where it went wrong. */
export class RoomImportError extends RefineryError {
	override name = 'RoomImportError';
	constructor(readonly path: string, problem: string) {
		super(`Cannot import: ${path ? `${path}: ` : ''}${problem}`);
	}
}

export const MAX_IMPORT_ITEMS = 50_000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, key: string, path: string, max = 100_000, fallback?: string): string {
	const v = o[key] ?? fallback;
	if (typeof v !== 'string') throw new RoomImportError(`${path}.${key}`, 'must be text');
	if (v.length > max) throw new RoomImportError(`${path}.${key}`, `is longer than ${max} characters`);
	return v;
}

function strings(o: Json, key: string, path: string): string[] {
	const v = o[key] ?? [];
	if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length > 200)) {
		throw new RoomImportError(`${path}.${key}`, 'must be a list of short texts');
	}
	return v as string[];
}

function nullableNumber(o: Json, key: string, path: string): number | null {
	const v = o[key] ?? null;
	if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw new RoomImportError(`${path}.${key}`, 'must be a number or null');
	return v as number | null;
}

function parseItem(raw: unknown, path: string): ItemJson {
	if (!isObject(raw)) throw new RoomImportError(path, 'must be an object');
	const kind = raw.kind ?? 'story';
	const status = raw.status ?? 'new';
	if (!isItemKind(kind)) throw new RoomImportError(`${path}.kind`, `unknown kind "${String(kind)}"`);
	if (!isItemStatus(status)) throw new RoomImportError(`${path}.status`, `unknown status "${String(status)}"`);
	const criteria = raw.criteria ?? [];
	if (!Array.isArray(criteria)) throw new RoomImportError(`${path}.criteria`, 'must be a list');
	const removed = raw.removedCriteria ?? [];
	if (!Array.isArray(removed)) throw new RoomImportError(`${path}.removedCriteria`, 'must be a list');
	const estimate = raw.estimate ?? null;
	if (estimate !== null && (typeof estimate !== 'string' || estimate.length > 8)) throw new RoomImportError(`${path}.estimate`, 'must be a card value or null');
	const parent = raw.parent ?? null;
	if (parent !== null && typeof parent !== 'string') throw new RoomImportError(`${path}.parent`, 'must be an item id or null');
	const title = str(raw, 'title', path, MAX_TITLE_LENGTH).trim();
	if (!title) throw new RoomImportError(`${path}.title`, 'cannot be empty');
	let source: ItemSource | undefined;
	if (raw.source != null) {
		try {
			source = checkSource(raw.source);
		} catch (error) {
			throw new RoomImportError(`${path}.source`, (error as Error).message);
		}
	}
	const item: ItemJson = {
		id: str(raw, 'id', path, 64),
		title,
		description: str(raw, 'description', path, MAX_DESCRIPTION_LENGTH, ''),
		kind,
		status,
		labels: strings(raw, 'labels', path),
		ready: strings(raw, 'ready', path),
		estimate,
		estimateStale: raw.estimateStale === true,
		rank: typeof raw.rank === 'string' ? raw.rank : '',
		parent,
		blockedBy: strings(raw, 'blockedBy', path),
		criteria: criteria.map((c, i) => {
			const at = `${path}.criteria[${i}]`;
			if (!isObject(c)) throw new RoomImportError(at, 'must be an object');
			return { id: str(c, 'id', at, 64), text: str(c, 'text', at, 2_000), done: c.done === true };
		}),
		removedCriteria: removed.map((c, i) => {
			const at = `${path}.removedCriteria[${i}]`;
			if (!isObject(c)) throw new RoomImportError(at, 'must be an object');
			const deletedAt = nullableNumber(c, 'deletedAt', at);
			if (deletedAt === null) throw new RoomImportError(`${at}.deletedAt`, 'must be a number');
			return { id: str(c, 'id', at, 64), text: str(c, 'text', at, 2_000), done: c.done === true, deletedAt };
		}),
		createdAt: nullableNumber(raw, 'createdAt', path),
		createdBy: str(raw, 'createdBy', path, 200, ''),
		deletedAt: nullableNumber(raw, 'deletedAt', path)
	};
	if (source) item.source = source;
	return item;
}

/** Check that data is a room export and return it typed; throws RoomImportError saying where it is wrong. */
export function parseRoomJson(data: unknown): RoomJson {
	if (!isObject(data)) throw new RoomImportError('', 'the file is not a JSON object');
	if (data.format !== ROOM_JSON_FORMAT) throw new RoomImportError('format', `expected "${ROOM_JSON_FORMAT}": this is not a Refinery room export`);
	const version = data.schemaVersion;
	if (typeof version !== 'number') throw new RoomImportError('schemaVersion', 'must be a number');
	if (version > SCHEMA_VERSION) throw new RoomImportError('schemaVersion', `the export is from a newer Refinery (schema ${version})`);
	if (!isObject(data.room)) throw new RoomImportError('room', 'must be an object');
	if (!Array.isArray(data.items)) throw new RoomImportError('items', 'must be a list');
	if (data.items.length > MAX_IMPORT_ITEMS) throw new RoomImportError('items', `more than ${MAX_IMPORT_ITEMS} items`);
	const items = data.items.map((raw, i) => parseItem(raw, `items[${i}]`));
	const ids = new Set<string>();
	for (const [i, item] of items.entries()) {
		if (ids.has(item.id)) throw new RoomImportError(`items[${i}].id`, `"${item.id}" appears twice`);
		ids.add(item.id);
	}
	const rounds = data.rounds ?? {};
	if (!isObject(rounds) || Object.values(rounds).some((r) => !isObject(r))) throw new RoomImportError('rounds', 'must map round ids to objects');
	const room = data.room;
	return {
		format: ROOM_JSON_FORMAT,
		schemaVersion: version,
		exportedAt: typeof data.exportedAt === 'string' ? data.exportedAt : '',
		room: {
			name: str(room, 'name', 'room', 120, ''),
			deck: isObject(room.deck) ? (room.deck as unknown as RoomJson['room']['deck']) : null,
			createdAt: nullableNumber(room, 'createdAt', 'room'),
			settings: (isObject(room.settings) ? room.settings : {}) as unknown as RoomJson['room']['settings'],
			readyChecklist: Array.isArray(room.readyChecklist) ? (room.readyChecklist as RoomJson['room']['readyChecklist']) : []
		},
		items,
		rounds: rounds as RoomJson['rounds']
	};
}

export interface ImportResult {
	created: number;
	updated: number;
	/** True when the room took the file's name. */
	renamed: boolean;
}

export interface ImportRoomOptions {
	/**
	 * Take the file's room name (default). The import dialog asks first and keeps the room's
	 * own name unless the person chooses the file's: two rooms with one name look alike.
	 */
	takeName?: boolean;
}

/**
 * Import a room export in one transaction (one undo step). Items whose id is
 * already in the room are updated in place, so importing a room's own export
 * never duplicates; others are created. Throws RoomImportError before touching
 * the document when anything is malformed: nothing is half-imported.
 */
export function importRoom(doc: Y.Doc, data: unknown, origin: Origin, { takeName = true }: ImportRoomOptions = {}): ImportResult {
	const room = parseRoomJson(data);
	const result: ImportResult = { created: 0, updated: 0, renamed: false };
	doc.transact(() => {
		const meta = getMeta(doc);
		if (takeName && room.room.name && meta.get('name') !== room.room.name) {
			meta.set('name', room.room.name);
			result.renamed = true;
		}
		if (room.room.deck) meta.set('deck', room.room.deck);
		if (!meta.has('createdAt') && room.room.createdAt !== null) meta.set('createdAt', room.room.createdAt);
		if (!meta.has('schemaVersion')) meta.set('schemaVersion', SCHEMA_VERSION);
		for (const [key, value] of Object.entries(room.room.settings)) meta.set(`setting.${key}`, value);
		if (room.room.readyChecklist.length) meta.set('readyChecklist', room.room.readyChecklist);

		const items = getItems(doc);
		const known = new Set([...items.keys(), ...room.items.map((i) => i.id)]);
		// Items without a usable rank go to the bottom, in file order.
		const unranked = room.items.filter((i) => !isRank(i.rank));
		const fallback = ranksBetween(lastLiveRank(doc), null, unranked.length, 'import');
		const rankOf = new Map(unranked.map((i, k) => [i.id, fallback[k]]));
		// All ranks in one write: the rank log is rewritten per call, so one call per item is quadratic.
		const ranks: RankEntry[] = [];
		for (const json of room.items) {
			const fixed = {
				...json,
				rank: rankOf.get(json.id) ?? json.rank,
				parent: json.parent !== null && known.has(json.parent) && json.parent !== json.id ? json.parent : null,
				blockedBy: json.blockedBy.filter((id) => known.has(id) && id !== json.id)
			};
			const existing = items.get(json.id);
			if (existing) {
				updateItem(existing, fixed, ranks);
				result.updated++;
			} else {
				const item = createFromJson(items, fixed, ranks);
				// The fingerprint reads the item's texts, which a map not yet in a document cannot.
				setBasis(item, fixed);
				result.created++;
			}
		}
		writeRanks(doc, ranks);
		const rounds = getRounds(doc);
		for (const [id, round] of Object.entries(room.rounds)) if (!rounds.has(id)) rounds.set(id, roundFromJson(round));
	}, origin);
	return result;
}

/**
 * Create items from checked JSON records, in one transaction: the batch path of importRoom
 * without the room's meta, for importers that build records themselves (shared/io). Parents
 * and blockers must name items in `items` or in the room; ids must be new.
 */
export function createItemsFromJson(doc: Y.Doc, records: readonly ItemJson[], origin: Origin, onProgress?: (done: number) => void): void {
	const items = getItems(doc);
	// Checked first: Yjs does not roll back, so a throw midway would leave half the items.
	for (const json of records) if (items.has(json.id)) throw new RoomImportError(json.id, 'an item with this id already exists');
	doc.transact(() => {
		const ranks: RankEntry[] = [];
		records.forEach((json, i) => {
			setBasis(createFromJson(items, json, ranks), json);
			if ((i + 1) % 1000 === 0) onProgress?.((i + 1) / records.length);
		});
		writeRanks(doc, ranks);
	}, origin);
	onProgress?.(1);
}

/**
 * Insert a new item, then fill in its criteria and sets. The order matters: a Y.Map
 * not yet in a document cannot be read (`get` returns undefined), so its criteria
 * array could not be reached to push into.
 */
function createFromJson(items: Y.Map<Y.Map<unknown>>, json: ItemJson, rankEntries: RankEntry[]): Y.Map<unknown> {
	const built = buildItem({
		id: json.id,
		title: json.title,
		description: json.description,
		kind: json.kind,
		status: json.status,
		labels: json.labels,
		rank: json.rank,
		parent: json.parent,
		by: json.createdBy,
		now: json.createdAt ?? 0
	});
	items.set(json.id, built);
	const item = items.get(json.id)!;
	rankEntries.push([json.id, json.rank]);
	const all = [...json.criteria, ...json.removedCriteria];
	const ranks = ranksBetween(null, null, all.length, json.id);
	itemCriteria(item).push(all.map((c, i) => buildCriterion({ id: c.id, text: c.text, done: c.done, rank: ranks[i] })));
	for (const map of itemCriteria(item)) {
		const removed = json.removedCriteria.find((c) => c.id === map.get('id'));
		if (removed) map.set('deletedAt', removed.deletedAt);
	}
	// buildItem always stamps a creation time; an export without one stays without one.
	if (json.createdAt === null) item.delete(F.createdAt);
	for (const id of json.ready) itemSet(item, 'ready').set(id, true);
	for (const id of json.blockedBy) itemSet(item, 'blockedBy').set(id, true);
	if (json.deletedAt !== null) item.set(F.deletedAt, json.deletedAt);
	if (json.estimate !== null) item.set(F.estimate, json.estimate);
	if (json.source) item.set(F.source, json.source);
	return item;
}

function updateItem(item: Y.Map<unknown>, json: ItemJson, ranks: RankEntry[]): void {
	replaceText(itemText(item, 'title'), json.title);
	replaceText(itemText(item, 'description'), json.description);
	item.set(F.kind, json.kind);
	item.set(F.status, json.status);
	ranks.push([json.id, json.rank]);
	item.set(F.parent, json.parent);
	item.set(F.deletedAt, json.deletedAt);
	syncSet(itemSet(item, 'labels'), json.labels);
	syncSet(itemSet(item, 'ready'), json.ready);
	syncSet(itemSet(item, 'blockedBy'), json.blockedBy);
	const list = itemCriteria(item);
	const byId = new Map<string, Y.Map<unknown>>();
	for (const map of list) byId.set(map.get('id') as string, map);
	const wanted = new Set(json.criteria.map((c) => c.id));
	const removedAt = new Map(json.removedCriteria.map((c) => [c.id, c.deletedAt]));
	const now = Date.now();
	for (const [id, map] of byId) if (!wanted.has(id) && map.get('deletedAt') == null) map.set('deletedAt', removedAt.get(id) ?? now);
	let previous: string | null = null;
	for (const c of json.criteria) {
		const map = byId.get(c.id);
		if (map) {
			replaceText(map.get('text') as Y.Text, c.text);
			map.set('done', c.done);
			map.set('deletedAt', null);
			const rank = map.get('rank');
			if (!isRank(rank) || (previous !== null && rank <= previous)) map.set('rank', rankBetween(previous, null, c.id));
			previous = map.get('rank') as string;
		} else {
			const rank = rankBetween(previous, null, c.id);
			list.push([buildCriterion({ ...c, rank })]);
			previous = rank;
		}
	}
	for (const c of json.removedCriteria) {
		if (byId.has(c.id) || wanted.has(c.id)) continue;
		list.push([buildCriterion({ id: c.id, text: c.text, done: c.done, rank: rankBetween(previous, null, c.id) })]);
		list.get(list.length - 1).set('deletedAt', c.deletedAt);
	}
	item.set(F.estimate, json.estimate);
	if (json.source) item.set(F.source, json.source);
	else if (item.has(F.source)) item.delete(F.source);
	setBasis(item, json);
}

/** An estimate exported as stale stays stale: its basis matches no fingerprint. */
function setBasis(item: Y.Map<unknown>, json: ItemJson): void {
	item.set(F.estimateBasis, json.estimate === null ? null : json.estimateStale ? 'stale' : scopeFingerprint(item));
}

function syncSet(map: FlatSet, keys: string[]): void {
	const wanted = new Set(keys);
	for (const key of [...map.keys()]) if (!wanted.has(key)) map.delete(key);
	for (const key of wanted) if (!map.has(key)) map.set(key, true);
}

/** Rebuild a stored round: its `votes` record becomes a Y.Map again, the rest is plain data. */
function roundFromJson(round: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(round)) {
		if (key === 'votes' && isObject(value)) {
			const votes = new Y.Map<unknown>();
			for (const [voter, vote] of Object.entries(value)) votes.set(voter, vote);
			map.set(key, votes);
		} else map.set(key, value);
	}
	return map;
}
