import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { requireItem } from './doc';
import { itemString, itemText } from './item';
import { createItem, editItemText, setItemText, setStatus } from './items';
import { readLabels, addLabel } from './labels';
import { readMeta, setRoomName } from './meta';
import { moveItem, orderedIds } from './order';
import { importOrigin, localOrigin, remoteOrigin } from './origins';
import { createUndoManager } from './undo';

const me = localOrigin('me');

function exchange(from: Y.Doc, to: Y.Doc): void {
	// What a provider does: updates from the network are applied with the remote origin.
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), remoteOrigin);
}

const title = (doc: Y.Doc, id: string) => itemText(requireItem(doc, id), 'title').toString();
const status = (doc: Y.Doc, id: string) => itemString(requireItem(doc, id), 'status');

describe('createUndoManager', () => {
	it('undoes and redoes the user\'s own change', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A' }, me);
		const undo = createUndoManager(doc, me, 0);
		setStatus(doc, 'a', 'ready', me);
		undo.undo();
		expect(status(doc, 'a')).toBe('new');
		undo.redo();
		expect(status(doc, 'a')).toBe('ready');
	});
	it('reverts only the own user\'s changes; another doc\'s changes stay', () => {
		const mine = new Y.Doc();
		const theirs = new Y.Doc();
		const bob = localOrigin('bob');
		createItem(mine, { id: 'a', title: 'A' }, me);
		createItem(mine, { id: 'b', title: 'B' }, me);
		exchange(mine, theirs);
		const undo = createUndoManager(mine, me, 0);

		setItemText(mine, 'a', 'title', 'A by me', me);
		setItemText(theirs, 'b', 'title', 'B by bob', bob);
		addLabel(theirs, ['a'], 'bob-label', bob);
		exchange(theirs, mine);
		moveItem(mine, 'b', 'top', me);

		expect(orderedIds(mine)).toEqual(['b', 'a']);
		undo.undo(); // the move
		expect(orderedIds(mine)).toEqual(['a', 'b']);
		undo.undo(); // my title edit
		expect(title(mine, 'a')).toBe('A');
		expect(undo.canUndo()).toBe(false);
		expect(title(mine, 'b')).toBe('B by bob');
		expect(readLabels(requireItem(mine, 'a'))).toEqual(['bob-label']);

		// The undo travels to the other doc like any change.
		exchange(mine, theirs);
		expect(title(theirs, 'a')).toBe('A');
		expect(title(theirs, 'b')).toBe('B by bob');
	});
	it('ignores imports and another session on the same doc', () => {
		const doc = new Y.Doc();
		const undo = createUndoManager(doc, me, 0);
		createItem(doc, { id: 'imported', title: 'I' }, importOrigin('backlog.json'));
		createItem(doc, { id: 'other', title: 'O' }, localOrigin('me')); // same user id, other session object
		expect(undo.canUndo()).toBe(false);
		createItem(doc, { id: 'mine', title: 'M' }, me);
		undo.undo();
		expect(orderedIds(doc)).toEqual(['imported', 'other']);
	});
	it('undoes room meta changes too', () => {
		const doc = new Y.Doc();
		setRoomName(doc, 'Before', remoteOrigin);
		const undo = createUndoManager(doc, me, 0);
		setRoomName(doc, 'After', me);
		undo.undo();
		expect(readMeta(doc).name).toBe('Before');
	});
	it('groups typing within the capture timeout into one step', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A' }, me);
		const undo = createUndoManager(doc, me); // default: 500 ms
		editItemText(doc, 'a', 'title', { index: 1, remove: 0, insert: 'b' }, me);
		editItemText(doc, 'a', 'title', { index: 2, remove: 0, insert: 'c' }, me);
		expect(title(doc, 'a')).toBe('Abc');
		undo.undo();
		expect(title(doc, 'a')).toBe('A');
	});
	it('keeps separate steps with a zero timeout', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A' }, me);
		const undo = createUndoManager(doc, me, 0);
		editItemText(doc, 'a', 'title', { index: 1, remove: 0, insert: 'b' }, me);
		editItemText(doc, 'a', 'title', { index: 2, remove: 0, insert: 'c' }, me);
		undo.undo();
		expect(title(doc, 'a')).toBe('Ab');
	});
});
