import * as Y from 'yjs';
import { getItems, getMeta, RefineryError, type ItemMap } from '../doc';
import { F } from '../item';
import type { Origin } from '../origins';
import { isRank } from '../rank';
import { loggedRanks, writeRanks, type RankEntry } from '../rankLog';
import { replaceText } from '../text';

/** The version holds no item with that id: there is nothing to restore it to. */
export class NotInVersionError extends RefineryError {
	override name = 'NotInVersionError';
	constructor(readonly itemId: string) {
		super(`The version has no item "${itemId}"`);
	}
}

/** Meta keys a restore leaves alone: the document's shape and the poker table are not history. */
const KEPT_META = new Set(['schemaVersion', 'poker.table']);

/** A plain value or a copy of a shared type, fresh for inserting into another document. */
function copyValue(value: unknown): unknown {
	if (value instanceof Y.Text) return new Y.Text(value.toString());
	if (value instanceof Y.Map) {
		const map = new Y.Map<unknown>();
		for (const [key, inner] of value) map.set(key, copyValue(inner));
		return map;
	}
	if (value instanceof Y.Array) {
		const array = new Y.Array<unknown>();
		array.push(value.toArray().map(copyValue));
		return array;
	}
	return value;
}

/** Make `target` read like `source`, key by key, changing only what differs (texts by their smallest edit). */
function restoreMap(target: Y.Map<unknown>, source: Y.Map<unknown>, now: number): void {
	for (const [key, value] of source) {
		const current = target.get(key);
		if (value instanceof Y.Text && current instanceof Y.Text) {
			if (current.toString() !== value.toString()) replaceText(current, value.toString());
		} else if (value instanceof Y.Array && current instanceof Y.Array && key === F.criteria) {
			restoreCriteria(current, value, now);
		} else if (value instanceof Y.AbstractType || current instanceof Y.AbstractType || !sameValue(current, value)) {
			target.set(key, copyValue(value));
		}
	}
	for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
}

function sameValue(a: unknown, b: unknown): boolean {
	return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Criteria are matched by id and restored in place, so someone typing in one keeps typing in
 * the same Y.Text; criteria added since are removed softly, like everything else.
 */
function restoreCriteria(target: Y.Array<unknown>, source: Y.Array<unknown>, now: number): void {
	const current = new Map<string, Y.Map<unknown>>();
	for (const map of target) if (map instanceof Y.Map && typeof map.get('id') === 'string') current.set(map.get('id') as string, map);
	const wanted = new Set<string>();
	const missing: unknown[] = [];
	for (const map of source) {
		if (!(map instanceof Y.Map) || typeof map.get('id') !== 'string') continue;
		const id = map.get('id') as string;
		wanted.add(id);
		const existing = current.get(id);
		if (existing) restoreMap(existing, map, now);
		else missing.push(copyValue(map));
	}
	if (missing.length) target.push(missing);
	for (const [id, map] of current) if (!wanted.has(id) && map.get('deletedAt') == null) map.set('deletedAt', now);
}

/** Bring one item to its state in the version: back into the map if it was removed, in place otherwise. */
function restoreOne(doc: Y.Doc, version: Y.Doc, id: string, ranks: RankEntry[], now: number): void {
	const source = getItems(version).get(id);
	if (!(source instanceof Y.Map)) throw new NotInVersionError(id);
	const items = getItems(doc);
	const target = items.get(id);
	if (target instanceof Y.Map) restoreMap(target, source, now);
	else items.set(id, copyValue(source) as ItemMap);
	const rank = loggedRanks(version).get(id) ?? source.get(F.rank);
	if (isRank(rank) && loggedRanks(doc).get(id) !== rank) ranks.push([id, rank]);
}

/**
 * Restore one item to how it was in a version, as a new change on top (one transaction, so one
 * undo step with a local origin): an item removed from the room comes back with its id, texts,
 * criteria, estimate, labels, links and rank; an item still there gets the version's values.
 * Nothing else in the room changes: its children are restored only with the whole room.
 * @example restoreItemFromVersion(session.doc, versionDoc, itemId, session.origin)
 */
export function restoreItemFromVersion(doc: Y.Doc, version: Y.Doc, id: string, origin: Origin, now = Date.now()): void {
	if (!(getItems(version).get(id) instanceof Y.Map)) throw new NotInVersionError(id);
	doc.transact(() => {
		const ranks: RankEntry[] = [];
		restoreOne(doc, version, id, ranks, now);
		writeRanks(doc, ranks);
	}, origin);
}

/**
 * Restore the whole room to a version, as a new change on top (one transaction): every item of
 * the version comes back as it was (trash included, with ranks and parent links), items made
 * since go to the trash (nothing is hard-deleted), and the room's name and settings return.
 * Poker rounds are left as they are. Returns how many items were touched.
 * @example restoreRoomFromVersion(session.doc, versionDoc, session.origin)
 */
export function restoreRoomFromVersion(doc: Y.Doc, version: Y.Doc, origin: Origin, now = Date.now()): number {
	let touched = 0;
	doc.transact(() => {
		const ranks: RankEntry[] = [];
		const wanted = getItems(version);
		for (const id of wanted.keys()) {
			restoreOne(doc, version, id, ranks, now);
			touched++;
		}
		for (const [id, item] of getItems(doc)) {
			if (!wanted.has(id) && item.get(F.deletedAt) == null) {
				item.set(F.deletedAt, now);
				touched++;
			}
		}
		writeRanks(doc, ranks);
		const meta = getMeta(doc);
		for (const [key, value] of getMeta(version)) {
			if (!KEPT_META.has(key) && !(value instanceof Y.AbstractType) && !sameValue(meta.get(key), value)) meta.set(key, value);
		}
	}, origin);
	return touched;
}
