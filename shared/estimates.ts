import type * as Y from 'yjs';
import { requireItem, InvalidInputError, type ItemMap } from './doc';
import { readCriteria } from './criteria';
import { F, itemNullable, itemText } from './item';
import type { Origin } from './origins';

/**
 * An estimate is a card value ("5", "M") with the fingerprint of what was estimated:
 * the description and the acceptance criteria. The estimate is stale when the
 * fingerprint no longer matches. Deriving it (rather than setting a flag on each
 * edit) makes it right for edits from any peer, typed concurrently or offline.
 */
export function scopeFingerprint(item: ItemMap): string {
	// Criteria are sorted: reordering them does not change what was estimated.
	const criteria = readCriteria(item).map((c) => c.text).sort();
	const scope = [itemText(item, 'description').toString(), ...criteria].join('\u0000');
	// cyrb53: a fast 53-bit hash; collisions only hide staleness, never corrupt data.
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < scope.length; i++) {
		const ch = scope.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export interface EstimateState {
	value: string | null;
	/** The description or criteria changed after it was estimated. */
	stale: boolean;
}

/** The item's estimate and whether it is stale. */
export function readEstimate(item: ItemMap): EstimateState {
	const value = itemNullable(item, 'estimate');
	if (value === null) return { value: null, stale: false };
	return { value, stale: itemNullable(item, 'estimateBasis') !== scopeFingerprint(item) };
}

/** Set an item's estimate (a card value); clears the stale flag. */
export function setEstimate(doc: Y.Doc, itemId: string, value: string, origin: Origin): void {
	const clean = value.trim();
	if (!clean || clean.length > 8) throw new InvalidInputError('An estimate is a card value of 1 to 8 characters');
	doc.transact(() => {
		const item = requireItem(doc, itemId);
		item.set(F.estimate, clean);
		item.set(F.estimateBasis, scopeFingerprint(item));
	}, origin);
}

/** Remove an item's estimate. */
export function clearEstimate(doc: Y.Doc, itemId: string, origin: Origin): void {
	doc.transact(() => {
		const item = requireItem(doc, itemId);
		item.set(F.estimate, null);
		item.set(F.estimateBasis, null);
	}, origin);
}

/** Confirm the estimate still holds after the scope changed: clears the stale flag. */
export function confirmEstimate(doc: Y.Doc, itemId: string, origin: Origin): void {
	doc.transact(() => {
		const item = requireItem(doc, itemId);
		if (item.get(F.estimate) != null) item.set(F.estimateBasis, scopeFingerprint(item));
	}, origin);
}

/** A numeric reading of an estimate ("0.5", "13"), or null for T-shirt sizes and the like. */
export function numericEstimate(value: string | null): number | null {
	if (value === null) return null;
	const n = value === '½' ? 0.5 : Number(value);
	return Number.isFinite(n) ? n : null;
}
