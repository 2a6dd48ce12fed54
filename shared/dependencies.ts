import type * as Y from 'yjs';
import { requireItem, InvalidInputError } from './doc';
import { itemSet } from './item';
import type { Origin } from './origins';

/**
 * "Blocked by" links, a Y.Map from the blocking item's id to `true` on the blocked
 * item. A cycle can still appear when two people link opposite ways at once, so
 * readers never assume there is none (see `blockingCycle`).
 */
export function blockersOf(doc: Y.Doc, itemId: string): string[] {
	return [...itemSet(requireItem(doc, itemId), 'blockedBy').keys()].sort();
}

/** An item named as its own blocker. */
export class SelfBlockError extends InvalidInputError {
	override name = 'SelfBlockError';
	constructor(readonly itemId: string) {
		super('An item cannot block itself');
	}
}

/** A link that would close a cycle of blocking items (the blocker already waits on the item). */
export class BlockingCycleError extends InvalidInputError {
	override name = 'BlockingCycleError';
	constructor(readonly itemId: string, readonly blockerId: string) {
		super('That link would make the items block each other');
	}
}

/**
 * Mark `itemId` as blocked by `blockerId`. Throws SelfBlockError for a self-link and
 * BlockingCycleError for a link that closes a cycle (both are InvalidInputErrors).
 */
export function addBlocker(doc: Y.Doc, itemId: string, blockerId: string, origin: Origin): void {
	if (itemId === blockerId) throw new SelfBlockError(itemId);
	doc.transact(() => {
		requireItem(doc, blockerId);
		if (reaches(doc, blockerId, itemId)) throw new BlockingCycleError(itemId, blockerId);
		itemSet(requireItem(doc, itemId), 'blockedBy').set(blockerId, true);
	}, origin);
}

export function removeBlocker(doc: Y.Doc, itemId: string, blockerId: string, origin: Origin): void {
	doc.transact(() => itemSet(requireItem(doc, itemId), 'blockedBy').delete(blockerId), origin);
}

/** True when following "blocked by" links from `from` reaches `to`. */
function reaches(doc: Y.Doc, from: string, to: string): boolean {
	const seen = new Set<string>();
	const stack = [from];
	while (stack.length) {
		const id = stack.pop()!;
		if (id === to) return true;
		if (seen.has(id)) continue;
		seen.add(id);
		try {
			stack.push(...blockersOf(doc, id));
		} catch {
			// A link to an item this peer has not received yet: nothing to follow.
		}
	}
	return false;
}

/** The items on a blocking cycle through `itemId`, if concurrent edits made one; else null. */
export function blockingCycle(doc: Y.Doc, itemId: string): string[] | null {
	for (const blocker of blockersOf(doc, itemId)) {
		if (reaches(doc, blocker, itemId)) return [itemId, blocker];
	}
	return null;
}
