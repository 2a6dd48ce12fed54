import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCriterion } from '../criteria';
import { getItems } from '../doc';
import { createItem, deleteItems, setItemText } from '../items';
import { moveItem } from '../order';
import { localOrigin } from '../origins';
import { LiveRoomState } from './LiveRoomState';
import { readRoomState } from './roomState';

const me = localOrigin('me');
const them = localOrigin('them');

describe('LiveRoomState', () => {
	it('follows remote updates, undo and items removed from the map, reading only what changed', () => {
		const doc = new Y.Doc();
		const peer = new Y.Doc();
		doc.on('update', (update: Uint8Array) => Y.applyUpdate(peer, update));
		peer.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
		for (let i = 0; i < 5; i++) createItem(doc, { id: `i${i}`, title: `Item ${i}` }, me);
		const live = new LiveRoomState(doc);
		const first = live.read();
		expect(first).toEqual(readRoomState(doc));

		const undo = new Y.UndoManager([getItems(doc)], { trackedOrigins: new Set([me]) });
		setItemText(doc, 'i1', 'title', 'Renamed', me);
		moveItem(peer, 'i4', { before: 'i0' }, them);
		addCriterion(peer, 'i2', 'From the peer', them, 'k');
		deleteItems(peer, ['i3'], them);
		const second = live.read();
		expect(second).toEqual(readRoomState(doc));
		// Untouched items are the same objects: they were not read again.
		expect(second.items.get('i0')).toBe(first.items.get('i0'));
		// What a caller was given does not change under it.
		expect(first.items.get('i1')!.title).toBe('Item 1');

		undo.undo();
		peer.transact(() => getItems(peer).delete('i2'), them);
		expect(live.read()).toEqual(readRoomState(doc));
		live.destroy();
	});
});
