import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addCriterion } from '$shared/criteria';
import { createItem, editItemText, setStatus } from '$shared/items';
import { setRoomName } from '$shared/meta';
import { moveItem } from '$shared/order';
import { localOrigin } from '$shared/origins';
import { splitItem } from '$shared/split';
import { transactionFacts, type ChangeFacts } from './changeFacts';
import { transactionSubjects } from './changeSubjects';
import { PendingChanges } from './PendingChanges';

const me = localOrigin('me');

/** A room of items a, b, c made elsewhere, and every later local change as facts. */
function room() {
	const doc = new Y.Doc();
	for (const id of ['a', 'b', 'c']) createItem(doc, { id, title: id.toUpperCase() }, localOrigin('earlier'));
	const changes: ChangeFacts[] = [];
	const subjects: string[][] = [];
	doc.on('update', (_u: Uint8Array, origin: unknown, _d: Y.Doc, transaction: Y.Transaction) => {
		if (origin !== me) return;
		changes.push(transactionFacts(transaction));
		subjects.push(transactionSubjects(transaction).sort());
	});
	return { doc, changes, subjects };
}

describe('changes counted as a person counts them', () => {
	test('each writer names the item or room-level thing it changed', () => {
		const { doc, subjects } = room();
		editItemText(doc, 'a', 'description', { index: 0, remove: 0, insert: 'x' }, me);
		setStatus(doc, 'b', 'ready', me);
		moveItem(doc, 'c', { before: 'a' }, me);
		addCriterion(doc, 'a', 'Works', me);
		createItem(doc, { id: 'd', title: 'D' }, me);
		setRoomName(doc, 'Renamed', me);
		const [child] = splitItem(doc, 'b', [{ title: 'Child', id: 'b1' }], me);
		expect(subjects).toEqual([['item:a'], ['item:b'], ['item:c'], ['item:a'], ['item:d'], ['meta:name'], ['item:b1']]);
		expect(child).toBe('b1');
	});

	test('20 edits (typing, moves, a status) show as the items they changed, the updates exactly in the details', () => {
		const { doc, changes } = room();
		for (let i = 0; i < 14; i++) editItemText(doc, 'a', 'description', { index: i, remove: 0, insert: 'x' }, me);
		for (let i = 0; i < 5; i++) moveItem(doc, 'b', i % 2 ? { before: 'a' } : { after: 'c' }, me);
		setStatus(doc, 'c', 'done', me);
		const pending = new PendingChanges();
		for (const change of changes) pending.add(change);
		expect(pending.updates).toBe(20);
		expect(pending.count).toBe(3);
	});

	test('a list stored by an older version (no subjects) counts one per change; a large import counts its items', () => {
		const pending = new PendingChanges([
			{ ends: [[1, 2]], deletes: [] },
			{ ends: [[1, 3]], deletes: [], subjects: ['item:a'] },
			{ ends: [[1, 9]], deletes: [], subjects: ['item:a', 'item:b'], more: 300 }
		]);
		expect(pending.count).toBe(1 + 2 + 300);
		expect(pending.updates).toBe(3);
	});
});
