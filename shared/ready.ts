import type * as Y from 'yjs';
import { getMeta, requireItem, InvalidInputError } from './doc';
import { itemSet } from './item';
import type { Origin } from './origins';

/** One line of the Definition of Ready, the same for every item in a room. */
export interface ReadyCheck {
	id: string;
	label: string;
}

/** What a new room starts with; the room can edit its own list. */
export const DEFAULT_READY_CHECKLIST: readonly ReadyCheck[] = [
	{ id: 'clear-value', label: 'The value to the user is clear' },
	{ id: 'criteria', label: 'Acceptance criteria are written' },
	{ id: 'small', label: 'Small enough for one sprint' },
	{ id: 'dependencies', label: 'Dependencies are known' },
	{ id: 'estimated', label: 'The team has estimated it' }
];

/** The room's Definition of Ready. */
export function readyChecklist(doc: Y.Doc): ReadyCheck[] {
	const list = getMeta(doc).get('readyChecklist');
	return Array.isArray(list) ? (list as ReadyCheck[]) : [...DEFAULT_READY_CHECKLIST];
}

/** Replace the room's Definition of Ready (ids keep ticks on items stable across renames). */
export function setReadyChecklist(doc: Y.Doc, checks: readonly ReadyCheck[], origin: Origin): void {
	const ids = new Set<string>();
	for (const check of checks) {
		if (!check.id || !check.label.trim()) throw new InvalidInputError('Each check needs an id and a label');
		if (ids.has(check.id)) throw new InvalidInputError(`The check id "${check.id}" is used twice`);
		ids.add(check.id);
	}
	doc.transact(() => getMeta(doc).set('readyChecklist', checks.map((c) => ({ id: c.id, label: c.label.trim() }))), origin);
}

/** Tick or untick one check of the Definition of Ready on an item. */
export function setReadyCheck(doc: Y.Doc, itemId: string, checkId: string, done: boolean, origin: Origin): void {
	doc.transact(() => {
		const ticks = itemSet(requireItem(doc, itemId), 'ready');
		if (done) ticks.set(checkId, true);
		else ticks.delete(checkId);
	}, origin);
}

/** Which checks of the room's list an item meets, and whether it meets them all. */
export function readiness(doc: Y.Doc, itemId: string): { done: string[]; missing: string[]; ready: boolean } {
	const ticks = itemSet(requireItem(doc, itemId), 'ready');
	const done: string[] = [];
	const missing: string[] = [];
	// Ticks are a FlatSet now (item.ts), which has `has`, not `get`.
	for (const check of readyChecklist(doc)) (ticks.has(check.id) ? done : missing).push(check.id);
	return { done, missing, ready: missing.length === 0 };
}
