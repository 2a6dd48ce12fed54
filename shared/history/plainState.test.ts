import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCriterion, removeCriterion } from '../criteria';
import { getItems } from '../doc';
import { createItem, deleteItems } from '../items';
import { addLabel } from '../labels';
import { localOrigin } from '../origins';
import { decodeRoomState, encodeRoomState, PlainStateError } from './plainState';
import { readRoomState } from './roomState';

const me = localOrigin('me');

describe('plain room state', () => {
	it('reads back exactly what was read from the document, trash and removed criteria included', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A', description: 'About a', now: 1 }, me);
		createItem(doc, { id: 'b', title: 'B', parent: 'a', now: 1 }, me);
		addCriterion(doc, 'a', 'Works', me, 'c1');
		addCriterion(doc, 'a', 'Gone', me, 'c2');
		removeCriterion(doc, 'a', 'c2', me);
		addLabel(doc, ['a'], 'backend', me);
		deleteItems(doc, ['b'], me, 5);
		const state = readRoomState(doc);
		expect(decodeRoomState(JSON.parse(encodeRoomState(state)))).toEqual(state);
	});

	it('reads malformed fields a hostile peer wrote as the defaults, so the JSON stays well formed', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A', now: 1 }, me);
		const item = getItems(doc).get('a')!;
		item.set('kind', 42 as never);
		item.set('estimate', { not: 'a string' } as never);
		item.set('labels:x', 'not true' as never);
		const state = decodeRoomState(JSON.parse(encodeRoomState(readRoomState(doc))));
		expect(state.items.get('a')).toMatchObject({ kind: 'story', estimate: null, labels: [] });
	});

	it('refuses what is not a room state', () => {
		const good = JSON.parse(encodeRoomState(readRoomState(new Y.Doc())));
		for (const bad of [null, 'x', { ...good, format: 2 }, { ...good, order: ['ghost'] }, { ...good, items: [{ id: 'a' }] }]) {
			expect(() => decodeRoomState(bad)).toThrow(PlainStateError);
		}
	});
});
