import * as Y from 'yjs';
import { getItems, requireItem, InvalidInputError, type ItemMap } from './doc';
import { newId } from './ids';
import { DEFAULT_KIND, DEFAULT_STATUS, F, isItemKind, isItemStatus, itemSet, itemText, type ItemKind, type ItemStatus, type TextField } from './item';
import type { Origin } from './origins';
import { isRank, rankBetween } from './rank';
import { descendantIds } from './hierarchy';
import { lastLiveRank } from './order';
import { writeRanks } from './rankLog';
import { applyTextChange, newText, replaceText, type TextChange } from './text';

export const MAX_TITLE_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 100_000;

export interface NewItem {
	title: string;
	description?: string;
	kind?: ItemKind;
	status?: ItemStatus;
	labels?: string[];
	/** Where it goes; default: the bottom of the backlog. */
	rank?: string;
	parent?: string | null;
	/** Who made it (user id). */
	by?: string;
	/** For imports and deterministic tests; default: a new random id. */
	id?: string;
	now?: number;
}

/**
 * Build an item's Y.Map with every nested type in place. Does not insert it, and does not
 * store `fields.rank`: the rank lives in the rank log, so after inserting the map write it
 * with `writeRanks(doc, [[id, rank]])` (createItem does).
 */
export function buildItem(fields: Required<Omit<NewItem, 'labels' | 'description'>> & { labels: string[]; description: string }): ItemMap {
	const item = new Y.Map<unknown>();
	item.set(F.title, newText(fields.title));
	item.set(F.description, newText(fields.description));
	item.set(F.criteria, new Y.Array());
	// Every key is a Yjs struct that costs bytes and load time in a room of thousands of items,
	// so what reads the same when absent is left out: the id (the item's key in `items`), the
	// default kind and status, and empty fields (estimate, parent, deletedAt, ...).
	if (fields.kind !== DEFAULT_KIND) item.set(F.kind, fields.kind);
	if (fields.status !== DEFAULT_STATUS) item.set(F.status, fields.status);
	for (const label of fields.labels) itemSet(item, 'labels').set(label, true);
	if (fields.parent !== null) item.set(F.parent, fields.parent);
	item.set(F.createdAt, fields.now);
	if (fields.by) item.set(F.createdBy, fields.by);
	return item;
}

/** Check what a person typed as a title: trimmed, one line, not empty, bounded. */
export function cleanTitle(title: string): string {
	const clean = title.replace(/\s+/g, ' ').trim();
	if (!clean) throw new InvalidInputError('A title cannot be empty');
	if (clean.length > MAX_TITLE_LENGTH) {
		throw new InvalidInputError(`A title can be at most ${MAX_TITLE_LENGTH} characters`);
	}
	return clean;
}

/**
 * Add an item (at the bottom unless a rank is given). Returns its id.
 * @example const id = createItem(doc, { title: 'Login with SSO', kind: 'story' }, origin)
 */
export function createItem(doc: Y.Doc, fields: NewItem, origin: Origin): string {
	const id = fields.id ?? newId();
	const kind = fields.kind ?? 'story';
	const status = fields.status ?? 'new';
	if (!isItemKind(kind)) throw new InvalidInputError(`Unknown kind "${String(kind)}"`);
	if (!isItemStatus(status)) throw new InvalidInputError(`Unknown status "${String(status)}"`);
	if (fields.rank !== undefined && !isRank(fields.rank)) throw new InvalidInputError(`Not a rank: "${fields.rank}"`);
	const title = cleanTitle(fields.title);
	const description = fields.description ?? '';
	if (description.length > MAX_DESCRIPTION_LENGTH) {
		throw new InvalidInputError(`A description can be at most ${MAX_DESCRIPTION_LENGTH} characters`);
	}
	doc.transact(() => {
		if (getItems(doc).has(id)) throw new InvalidInputError(`An item with id "${id}" already exists`);
		if (fields.parent) requireItem(doc, fields.parent);
		const rank = fields.rank ?? rankBetween(lastLiveRank(doc), null, id);
		const item = buildItem({
			id,
			title,
			description,
			kind,
			status,
			labels: [...new Set((fields.labels ?? []).map(cleanLabel))],
			rank,
			parent: fields.parent ?? null,
			by: fields.by ?? '',
			now: fields.now ?? Date.now()
		});
		getItems(doc).set(id, item);
		writeRanks(doc, [[id, rank]]);
	}, origin);
	return id;
}

/** Normalise a label: trimmed, single spaces, at most 40 characters. */
export function cleanLabel(label: string): string {
	const clean = label.replace(/\s+/g, ' ').trim();
	if (!clean) throw new InvalidInputError('A label cannot be empty');
	if (clean.length > 40) throw new InvalidInputError('A label can be at most 40 characters');
	return clean;
}

/** Apply one typing change to an item's title or description (what an editor binding sends). */
export function editItemText(doc: Y.Doc, id: string, field: TextField, change: TextChange, origin: Origin): void {
	doc.transact(() => {
		const text = itemText(requireItem(doc, id), field);
		const limit = field === 'title' ? MAX_TITLE_LENGTH : MAX_DESCRIPTION_LENGTH;
		if (text.length - change.remove + change.insert.length > limit) {
			throw new InvalidInputError(`The ${field} can be at most ${limit} characters`);
		}
		applyTextChange(text, change);
	}, origin);
}

/** Set an item's title or description to a whole new value, changing as little as possible. */
export function setItemText(doc: Y.Doc, id: string, field: TextField, value: string, origin: Origin): void {
	const clean = field === 'title' ? cleanTitle(value) : value;
	if (field === 'description' && clean.length > MAX_DESCRIPTION_LENGTH) {
		throw new InvalidInputError(`A description can be at most ${MAX_DESCRIPTION_LENGTH} characters`);
	}
	doc.transact(() => replaceText(itemText(requireItem(doc, id), field), clean), origin);
}

export function setKind(doc: Y.Doc, id: string, kind: ItemKind, origin: Origin): void {
	if (!isItemKind(kind)) throw new InvalidInputError(`Unknown kind "${String(kind)}"`);
	doc.transact(() => requireItem(doc, id).set(F.kind, kind), origin);
}

export function setStatus(doc: Y.Doc, id: string, status: ItemStatus, origin: Origin): void {
	if (!isItemStatus(status)) throw new InvalidInputError(`Unknown status "${String(status)}"`);
	doc.transact(() => requireItem(doc, id).set(F.status, status), origin);
}

/** Set the status of several items in one step (one undo). */
export function setStatusMany(doc: Y.Doc, ids: readonly string[], status: ItemStatus, origin: Origin): void {
	if (!isItemStatus(status)) throw new InvalidInputError(`Unknown status "${String(status)}"`);
	doc.transact(() => {
		// Check every id first: Yjs does not roll back, so a throw midway would leave half the items changed.
		const items = ids.map((id) => requireItem(doc, id));
		for (const item of items) item.set(F.status, status);
	}, origin);
}

/** Set the kind of several items in one step (one undo). */
export function setKindMany(doc: Y.Doc, ids: readonly string[], kind: ItemKind, origin: Origin): void {
	if (!isItemKind(kind)) throw new InvalidInputError(`Unknown kind "${String(kind)}"`);
	doc.transact(() => {
		// Checked first, as in setStatusMany: no half-changed selection.
		const items = ids.map((id) => requireItem(doc, id));
		for (const item of items) item.set(F.kind, kind);
	}, origin);
}

/**
 * Soft-delete items and their descendants (they go to the trash; nothing is
 * hard-deleted). An edit racing the delete is kept, and restoring brings it back.
 */
export function deleteItems(doc: Y.Doc, ids: readonly string[], origin: Origin, now = Date.now()): void {
	doc.transact(() => {
		for (const id of ids) requireItem(doc, id);
		for (const id of [...ids, ...ids.flatMap((id) => descendantIds(doc, id, true))]) {
			const item = requireItem(doc, id);
			if (item.get(F.deletedAt) == null) item.set(F.deletedAt, now);
		}
	}, origin);
}

/**
 * Bring items back from the trash at the rank they had, with the descendants that
 * were deleted together with them (same moment). A restored child whose parent is
 * still in the trash shows at the top level (see `backlogTree`).
 */
export function restoreItems(doc: Y.Doc, ids: readonly string[], origin: Origin): void {
	doc.transact(() => {
		// Check every id first, as deleteItems does: a throw midway would leave a half-done restore.
		for (const id of ids) requireItem(doc, id);
		for (const id of ids) {
			const item = requireItem(doc, id);
			const deletedAt = item.get(F.deletedAt);
			if (deletedAt == null) continue;
			item.set(F.deletedAt, null);
			for (const child of descendantIds(doc, id, true)) {
				const map = requireItem(doc, child);
				if (map.get(F.deletedAt) === deletedAt) map.set(F.deletedAt, null);
			}
		}
	}, origin);
}
