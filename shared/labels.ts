import type * as Y from 'yjs';
import { requireItem } from './doc';
import { itemSet } from './item';
import { cleanLabel } from './items';
import type { Origin } from './origins';

/**
 * Labels are a Y.Map from label to `true`: two people adding the same label at once
 * get it once, and an add and a remove of different labels both stay.
 */
export function readLabels(item: Y.Map<unknown>): string[] {
	return [...itemSet(item, 'labels').keys()].sort((a, b) => a.localeCompare(b));
}

/** Add a label to one or more items in one step. */
export function addLabel(doc: Y.Doc, ids: readonly string[], label: string, origin: Origin): void {
	const clean = cleanLabel(label);
	doc.transact(() => {
		// Check every id first: Yjs does not roll back, so a throw midway would label only some items.
		const items = ids.map((id) => requireItem(doc, id));
		for (const item of items) itemSet(item, 'labels').set(clean, true);
	}, origin);
}

/** Remove a label from one or more items in one step. */
export function removeLabel(doc: Y.Doc, ids: readonly string[], label: string, origin: Origin): void {
	doc.transact(() => {
		const items = ids.map((id) => requireItem(doc, id));
		for (const item of items) itemSet(item, 'labels').delete(label);
	}, origin);
}
