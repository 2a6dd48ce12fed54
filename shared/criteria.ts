import * as Y from 'yjs';
import { requireItem, InvalidInputError, RefineryError, type ItemMap } from './doc';
import { newId } from './ids';
import { itemCriteria } from './item';
import type { Origin } from './origins';
import { compareRanked, isRank, rankBetween } from './rank';
import { applyTextChange, newText, replaceText, type TextChange } from './text';

/**
 * Acceptance criteria: a Y.Array of small Y.Maps (id, text, done). Their order is a
 * rank on each criterion, like items, because moving inside a Y.Array is a delete
 * and an insert, and two people reordering at once would duplicate a criterion.
 * Removal is soft (deletedAt) so an edit racing a removal is not lost.
 */
export interface Criterion {
	id: string;
	text: string;
	done: boolean;
	rank: string;
}

export const MAX_CRITERION_LENGTH = 2_000;

export class UnknownCriterionError extends RefineryError {
	override name = 'UnknownCriterionError';
	constructor(readonly itemId: string, readonly criterionId: string) {
		super(`Item "${itemId}" has no acceptance criterion "${criterionId}"`);
	}
}

type CriterionMap = Y.Map<unknown>;

function liveCriteria(item: ItemMap): { id: string; rank: string; map: CriterionMap }[] {
	const out: { id: string; rank: string; map: CriterionMap }[] = [];
	for (const map of itemCriteria(item)) {
		if (map.get('deletedAt') != null) continue;
		const rank = map.get('rank');
		out.push({ id: map.get('id') as string, rank: isRank(rank) ? rank : '', map });
	}
	return out.sort(compareRanked);
}

/** The live criteria of an item, in order. */
export function readCriteria(item: ItemMap): Criterion[] {
	return liveCriteria(item).map(({ id, rank, map }) => ({
		id,
		rank,
		text: (map.get('text') as Y.Text).toString(),
		done: map.get('done') === true
	}));
}

function findCriterion(item: ItemMap, itemId: string, criterionId: string): CriterionMap {
	for (const map of itemCriteria(item)) if (map.get('id') === criterionId) return map;
	throw new UnknownCriterionError(itemId, criterionId);
}

/** The Y.Text of one criterion, for an editor binding. */
export function criterionText(doc: Y.Doc, itemId: string, criterionId: string): Y.Text {
	return findCriterion(requireItem(doc, itemId), itemId, criterionId).get('text') as Y.Text;
}

function cleanCriterion(text: string): string {
	const clean = text.trim();
	if (clean.length > MAX_CRITERION_LENGTH) {
		throw new InvalidInputError(`An acceptance criterion can be at most ${MAX_CRITERION_LENGTH} characters`);
	}
	return clean;
}

/** Build a criterion map; used by addCriterion, split and import. */
export function buildCriterion(fields: { id: string; text: string; done: boolean; rank: string }): CriterionMap {
	const map = new Y.Map<unknown>();
	map.set('id', fields.id);
	map.set('text', newText(fields.text));
	// "Not done" and "not removed" are left out (absent reads as such): fewer keys load faster.
	if (fields.done) map.set('done', true);
	map.set('rank', fields.rank);
	return map;
}

/**
 * Add an acceptance criterion at the end of an item's list. Returns its id. Throws
 * InvalidInputError for empty (or blank) text.
 * @example addCriterion(doc, itemId, 'Shows an error for a wrong password', origin)
 */
export function addCriterion(doc: Y.Doc, itemId: string, text: string, origin: Origin, id = newId()): string {
	const clean = cleanCriterion(text);
	// A new criterion must say something; an existing one may be emptied while being retyped.
	if (!clean) throw new InvalidInputError('An acceptance criterion cannot be empty');
	doc.transact(() => {
		const item = requireItem(doc, itemId);
		const list = liveCriteria(item);
		const last = list.length ? list[list.length - 1].rank || null : null;
		itemCriteria(item).push([buildCriterion({ id, text: clean, done: false, rank: rankBetween(last, null, id) })]);
	}, origin);
	return id;
}

/** Replace a criterion's text, changing as little as possible so concurrent typing merges. */
export function setCriterionText(doc: Y.Doc, itemId: string, criterionId: string, text: string, origin: Origin): void {
	const clean = cleanCriterion(text);
	doc.transact(() => replaceText(criterionText(doc, itemId, criterionId), clean), origin);
}

/** Apply one typing change to a criterion's text. */
export function editCriterionText(doc: Y.Doc, itemId: string, criterionId: string, change: TextChange, origin: Origin): void {
	doc.transact(() => {
		const text = criterionText(doc, itemId, criterionId);
		if (text.length - change.remove + change.insert.length > MAX_CRITERION_LENGTH) {
			throw new InvalidInputError(`An acceptance criterion can be at most ${MAX_CRITERION_LENGTH} characters`);
		}
		applyTextChange(text, change);
	}, origin);
}

/** Tick or untick a criterion. */
export function setCriterionDone(doc: Y.Doc, itemId: string, criterionId: string, done: boolean, origin: Origin): void {
	doc.transact(() => findCriterion(requireItem(doc, itemId), itemId, criterionId).set('done', done), origin);
}

/** Move a criterion to a new position (0 = first) among the item's live criteria. */
export function moveCriterion(doc: Y.Doc, itemId: string, criterionId: string, toIndex: number, origin: Origin): void {
	doc.transact(() => {
		const item = requireItem(doc, itemId);
		const map = findCriterion(item, itemId, criterionId);
		const rest = liveCriteria(item).filter((c) => c.id !== criterionId);
		const index = Math.max(0, Math.min(toIndex, rest.length));
		const before = index > 0 ? rest[index - 1].rank || null : null;
		let after = index < rest.length ? rest[index].rank || null : null;
		if (before !== null && after !== null && before >= after) {
			// Colliding ranks (a concurrent move picked the same one): place just after `before`'s run.
			after = rest.slice(index).find((c) => c.rank > before!)?.rank ?? null;
		}
		map.set('rank', rankBetween(before, after, criterionId));
	}, origin);
}

/** Remove a criterion (soft: an edit made concurrently is kept in the data). */
export function removeCriterion(doc: Y.Doc, itemId: string, criterionId: string, origin: Origin, now = Date.now()): void {
	doc.transact(() => findCriterion(requireItem(doc, itemId), itemId, criterionId).set('deletedAt', now), origin);
}
