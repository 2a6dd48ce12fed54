import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addCriterion } from '$shared/criteria';
import { addBlocker } from '$shared/dependencies';
import { setEstimate } from '$shared/estimates';
import { createItem, deleteItems, restoreItems, setItemText } from '$shared/items';
import { localOrigin } from '$shared/origins';
import { readyChecklist, setReadyCheck } from '$shared/ready';
import { splitItem } from '$shared/split';
import { ItemDetail } from './ItemDetail.svelte';
import { TrashView } from './TrashView.svelte';

const origin = localOrigin('tester');

describe('ItemDetail (read outside an effect, so straight from the document)', () => {
	test('fields, criteria, readiness, blockers and children with their estimate sum', () => {
		const doc = new Y.Doc();
		const epic = createItem(doc, { title: 'Checkout', kind: 'epic', labels: ['payments'] }, origin);
		const other = createItem(doc, { title: 'Login' }, origin);
		addCriterion(doc, epic, 'Pays by card', origin);
		addBlocker(doc, epic, other, origin);
		const [card, wallet] = splitItem(doc, epic, [{ title: 'Card' }, { title: 'Wallet' }], origin);
		setEstimate(doc, card, '5', origin);
		const first = readyChecklist(doc)[0].id;
		setReadyCheck(doc, epic, first, true, origin);

		const detail = new ItemDetail(doc, epic);
		expect([detail.live, detail.title, detail.kind, detail.status, detail.labels]).toEqual([true, 'Checkout', 'epic', 'new', ['payments']]);
		expect(detail.criteria.map((c) => c.text)).toEqual(['Pays by card']);
		expect(detail.checklist.filter((line) => line.done).map((line) => line.id)).toEqual([first]);
		expect(detail.ready).toBe(false);
		expect(detail.blockers).toEqual([{ id: other, title: 'Login', live: true }]);
		expect(detail.children.map((c) => [c.id, c.estimate])).toEqual([
			[card, '5'],
			[wallet, null]
		]);
		expect(detail.childEstimates).toEqual({ sum: 5, estimated: 1, unestimated: 1 });

		deleteItems(doc, [other], origin);
		expect(detail.blockers[0].live).toBe(false);
	});

	test('the stale flag follows description edits; a deleted item is not live', () => {
		const doc = new Y.Doc();
		const id = createItem(doc, { title: 'Search' }, origin);
		setEstimate(doc, id, '3', origin);
		const detail = new ItemDetail(doc, id);
		expect(detail.estimate).toEqual({ value: '3', stale: false });
		setItemText(doc, id, 'description', 'Now with filters', origin);
		expect(detail.estimate).toEqual({ value: '3', stale: true });
		deleteItems(doc, [id], origin);
		expect(detail.live).toBe(false);
		expect(new ItemDetail(doc, 'missing').live).toBe(false);
	});
});

describe('ItemDetail.deletedByClient', () => {
	test('is the document client that moved the item to the trash, as the other peer sees it', () => {
		const alice = new Y.Doc();
		const bob = new Y.Doc();
		const id = createItem(alice, { title: 'Doomed' }, origin);
		Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
		const seenByBob = new ItemDetail(bob, id);
		expect(seenByBob.deletedByClient).toBeNull();
		deleteItems(alice, [id], origin);
		Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
		expect(seenByBob.live).toBe(false);
		expect(seenByBob.exists).toBe(true);
		expect(seenByBob.deletedByClient).toBe(alice.clientID);
	});
});

describe('TrashView', () => {
	test('lists deleted items, newest first, and forgets restored ones', () => {
		const doc = new Y.Doc();
		const [a, b, c] = ['a', 'b', 'c'].map((title) => createItem(doc, { title }, origin));
		deleteItems(doc, [a], origin, 1_000);
		deleteItems(doc, [c], origin, 2_000);
		const trash = new TrashView(doc);
		expect(trash.items).toEqual([
			{ id: c, title: 'c', deletedAt: 2_000, children: [] },
			{ id: a, title: 'a', deletedAt: 1_000, children: [] }
		]);
		expect(trash.items.some((item) => item.id === b)).toBe(false);
		restoreItems(doc, [c], origin);
		expect(trash.items.map((item) => item.id)).toEqual([a]);
	});
});
