import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addBlocker, removeBlocker } from '$shared/dependencies';
import { createItem, editItemText, setStatus } from '$shared/items';
import { addLabel } from '$shared/labels';
import { moveItem } from '$shared/order';
import { localOrigin } from '$shared/origins';
import { backlogRows, type BacklogRow, type ItemFields } from './backlogRows';

const origin = localOrigin('tester');

describe('backlogRows with a cache', () => {
	test('re-reads only the items dropped from the cache and reuses unchanged rows', () => {
		const doc = new Y.Doc();
		const ids = ['a', 'b', 'c'].map((title) => createItem(doc, { title }, origin));
		const cache = { fields: new Map<string, ItemFields>(), rows: new Map<string, BacklogRow>() };
		const first = backlogRows(doc, cache);
		expect(first).toEqual(backlogRows(doc));

		editItemText(doc, ids[1], 'title', { index: 1, remove: 0, insert: '!' }, origin);
		setStatus(doc, ids[1], 'ready', origin);
		addLabel(doc, [ids[1]], 'ux', origin);
		cache.fields.delete(ids[1]);
		const second = backlogRows(doc, cache);
		expect(second).toEqual(backlogRows(doc));
		expect(second[1]).toMatchObject({ title: 'b!', status: 'ready', labels: ['ux'] });
		expect(second[0]).toBe(first[0]);
		expect(second[2]).toBe(first[2]);

		// A move changes positions, not fields: rows are rebuilt from cached fields.
		moveItem(doc, ids[2], 'top', origin);
		expect(backlogRows(doc, cache)).toEqual(backlogRows(doc));
	});

	test('reads an item only when its row is asked for its fields; an unread row reused after a change reads the change', () => {
		const doc = new Y.Doc();
		const ids = ['a', 'b', 'c'].map((title) => createItem(doc, { title }, origin));
		const cache = { fields: new Map<string, ItemFields>(), rows: new Map<string, BacklogRow>() };
		const first = backlogRows(doc, cache);
		expect(cache.fields.size).toBe(0);
		expect(first[0].title).toBe('a');
		expect([...cache.fields.keys()]).toEqual([ids[0]]);

		editItemText(doc, ids[1], 'title', { index: 1, remove: 0, insert: '?' }, origin);
		const second = backlogRows(doc, cache);
		expect(second[1]).toBe(first[1]);
		expect(second[1].title).toBe('b?');

		editItemText(doc, ids[0], 'title', { index: 1, remove: 0, insert: '!' }, origin);
		cache.fields.delete(ids[0]);
		const third = backlogRows(doc, cache);
		expect(third[0]).not.toBe(second[0]);
		expect(third[0].title).toBe('a!');
		expect(third.map((row) => [row.title, row.kind, row.status, row.labels, row.estimate, row.blockers])).toEqual(
			backlogRows(doc).map((row) => [row.title, row.kind, row.status, row.labels, row.estimate, row.blockers])
		);
	});

	test('counts the items a row is blocked by, for its marker', () => {
		const doc = new Y.Doc();
		const [a, b, c] = ['a', 'b', 'c'].map((title) => createItem(doc, { title }, origin));
		addBlocker(doc, a, b, origin);
		addBlocker(doc, a, c, origin);
		expect(backlogRows(doc).map((row) => row.blockers)).toEqual([2, 0, 0]);
		removeBlocker(doc, a, c, origin);
		expect(backlogRows(doc)[0].blockers).toBe(1);
	});
});
