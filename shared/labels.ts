import type * as Y from 'yjs';
import { getItems, requireItem } from './doc';
import { isDeleted, itemSet } from './item';
import { cleanLabel } from './items';
import type { Origin } from './origins';

/**
 * Labels are flat keys on the item (`labels:<label>` → true): two people adding the same label
 * at once get it once, and an add and a remove of different labels both stay.
 *
 * Labels are compared without case ("payments" is "Payments"): a person adding a label that the
 * room already has in another case gets the existing spelling, so one label never splits in two.
 * Lower-casing is locale-free (`toLowerCase`), so every peer compares the same way.
 */
export function labelKey(label: string): string {
	return label.toLowerCase();
}

/** True when two labels are the same label (case aside). */
export function sameLabel(a: string, b: string): boolean {
	return labelKey(a) === labelKey(b);
}

/** Of several spellings of one label, the one every peer picks: the first by code units. */
function preferred(a: string, b: string): string {
	return a < b ? a : b;
}

/** The labels a set of spellings reads as: one per label, sorted for people. */
function distinct(spellings: Iterable<string>): string[] {
	const byKey = new Map<string, string>();
	for (const label of spellings) {
		const key = labelKey(label);
		const seen = byKey.get(key);
		byKey.set(key, seen === undefined ? label : preferred(seen, label));
	}
	return [...byKey.values()].sort((a, b) => a.localeCompare(b));
}

/**
 * An item's labels, sorted. Two spellings of one label (added at the same moment on two
 * devices) read as one, the same on every peer.
 */
export function readLabels(item: Y.Map<unknown>): string[] {
	return distinct(itemSet(item, 'labels').keys());
}

/** Every label used by a live item of the room, one spelling each, sorted. */
export function roomLabels(doc: Y.Doc): string[] {
	const all: string[] = [];
	for (const item of getItems(doc).values()) if (!isDeleted(item)) all.push(...itemSet(item, 'labels').keys());
	return distinct(all);
}

/**
 * The spelling to store for a label someone typed: an existing label's when one matches
 * (case aside), else the cleaned text. Throws InvalidInputError for an empty or overlong label.
 * @example canonicalLabel(['UX'], 'ux') // 'UX'
 */
export function canonicalLabel(existing: readonly string[], label: string): string {
	const clean = cleanLabel(label);
	return existing.find((other) => sameLabel(other, clean)) ?? clean;
}

/** Add a label to one or more items in one step, in the spelling the room already uses. */
export function addLabel(doc: Y.Doc, ids: readonly string[], label: string, origin: Origin): void {
	cleanLabel(label);
	doc.transact(() => {
		// Check every id first: Yjs does not roll back, so a throw midway would label only some items.
		const items = ids.map((id) => requireItem(doc, id));
		const own = items.flatMap((item) => itemSet(item, 'labels').keys());
		const clean = canonicalLabel([...distinct(own), ...roomLabels(doc)], label);
		for (const item of items) {
			const labels = itemSet(item, 'labels');
			// An item that already has it in another spelling keeps that one (set again, so an add
			// racing a remove of the same label still wins, as before).
			labels.set(labels.keys().find((other) => sameLabel(other, clean)) ?? clean, true);
		}
	}, origin);
}

/** Remove a label (every spelling of it) from one or more items in one step. */
export function removeLabel(doc: Y.Doc, ids: readonly string[], label: string, origin: Origin): void {
	doc.transact(() => {
		const items = ids.map((id) => requireItem(doc, id));
		for (const item of items) {
			const labels = itemSet(item, 'labels');
			for (const other of labels.keys()) if (sameLabel(other, label)) labels.delete(other);
		}
	}, origin);
}
