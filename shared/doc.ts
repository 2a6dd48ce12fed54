import * as Y from 'yjs';

/**
 * The room document's root types. Every reader and writer goes through these
 * accessors so that the names of the roots live in one place.
 */
export const ROOT = { meta: 'meta', items: 'items', ranks: 'ranks', rounds: 'rounds' } as const;

export type ItemMap = Y.Map<unknown>;
export type RoundMap = Y.Map<unknown>;

export function getMeta(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(ROOT.meta);
}

export function getItems(doc: Y.Doc): Y.Map<ItemMap> {
	return doc.getMap(ROOT.items);
}

/** The item ranks, as a log of `[itemId, rank]` entries (see `rankLog.ts`). */
export function getRankLog(doc: Y.Doc): Y.Array<[string, string]> {
	return doc.getArray(ROOT.ranks);
}

export function getRounds(doc: Y.Doc): Y.Map<RoundMap> {
	return doc.getMap(ROOT.rounds);
}

/** The item's Y.Map, or a RefineryError if it does not exist. */
export function requireItem(doc: Y.Doc, id: string): ItemMap {
	const item = getItems(doc).get(id);
	if (!item) throw new UnknownItemError(id);
	return item;
}

/** Base of every error the model throws, so callers can tell ours from bugs. */
export class RefineryError extends Error {
	override name = 'RefineryError';
}

export class UnknownItemError extends RefineryError {
	override name = 'UnknownItemError';
	constructor(readonly id: string) {
		super(`No item with id "${id}" in this room`);
	}
}

export class InvalidInputError extends RefineryError {
	override name = 'InvalidInputError';
}
