import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCriterion, removeCriterion, setCriterionText } from '../criteria';
import { addBlocker } from '../dependencies';
import { getItems, getRankLog } from '../doc';
import { setEstimate } from '../estimates';
import { exportRoom } from '../exportJson';
import { createItem, deleteItems, setItemText } from '../items';
import { addLabel } from '../labels';
import { initRoom, setRoomName } from '../meta';
import { moveItem, orderedIds } from '../order';
import { localOrigin } from '../origins';
import { splitItem } from '../split';
import { createUndoManager } from '../undo';
import { changesBetween } from './changes';
import { NotInVersionError, restoreItemFromVersion, restoreRoomFromVersion } from './restore';
import { readRoomState } from './roomState';

const me = localOrigin('me');
const attacker = localOrigin('attacker');

function meeting(): Y.Doc {
	const doc = new Y.Doc();
	initRoom(doc, { name: 'Sprint 12', deck: { id: 'fib', name: 'Fibonacci', cards: ['1', '2', '3', '5'] }, now: 1 }, me);
	createItem(doc, { id: 'a', title: 'Login', description: 'With SSO', labels: ['auth'], now: 1 }, me);
	createItem(doc, { id: 'b', title: 'Checkout', now: 1 }, me);
	createItem(doc, { id: 'c', title: 'Search', now: 1 }, me);
	createItem(doc, { id: 't', title: 'Old idea', now: 1 }, me);
	addCriterion(doc, 'a', 'Shows an error', me, 'k1');
	addCriterion(doc, 'b', 'Card', me, 'k2');
	setEstimate(doc, 'a', '5', me);
	addBlocker(doc, 'c', 'a', me);
	splitItem(doc, 'b', [{ title: 'Pay by card', id: 'b1', criteria: ['k2'] }], me);
	moveItem(doc, 'c', 'top', me);
	deleteItems(doc, ['t'], me, 5);
	return doc;
}

const versionOf = (doc: Y.Doc) => {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
};
/** Two peers: what one writes reaches the other. */
function connect(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
	a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, u, 'peer'));
	b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, u, 'peer'));
}
const wipe = (doc: Y.Doc) =>
	doc.transact(() => {
		for (const id of [...getItems(doc).keys()]) getItems(doc).delete(id);
		getRankLog(doc).delete(0, getRankLog(doc).length);
	}, attacker);
const json = (doc: Y.Doc) => {
	const room = exportRoom(doc, new Date(0)) as unknown as Record<string, unknown>;
	delete room.exportedAt;
	return room;
};

describe('restoreRoomFromVersion', () => {
	it('brings back every item removed from the map, trash included, with criteria, estimates, labels, ranks and parents', () => {
		const owner = meeting();
		const other = new Y.Doc();
		connect(owner, other);
		const version = versionOf(owner);
		wipe(other);
		expect(getItems(owner).size).toBe(0);
		restoreRoomFromVersion(owner, version, me);
		expect(changesBetween(readRoomState(version), readRoomState(other))).toEqual([]);
		expect(json(other)).toEqual(json(version));
		expect(orderedIds(other)).toEqual(['c', 'a', 'b', 'b1']);
	});

	it('puts items made since in the trash and brings back texts, names and removed criteria', () => {
		const doc = meeting();
		const version = versionOf(doc);
		createItem(doc, { id: 'new', title: 'Later' }, me);
		setItemText(doc, 'a', 'description', 'Passwords only', me);
		setCriterionText(doc, 'a', 'k1', 'Changed', me);
		removeCriterion(doc, 'b1', 'k2', me);
		addCriterion(doc, 'a', 'Extra', me, 'k9');
		setRoomName(doc, 'Renamed', me);
		restoreRoomFromVersion(doc, version, me, 99);
		const changes = changesBetween(readRoomState(version), readRoomState(doc));
		expect(changes).toEqual([]);
		expect(getItems(doc).get('new')!.get('deletedAt')).toBe(99);
	});

	it('is one undo step for the person who restored', () => {
		const doc = meeting();
		const version = versionOf(doc);
		wipe(doc);
		const wiped = versionOf(doc);
		const undo = createUndoManager(doc, me);
		restoreRoomFromVersion(doc, version, me);
		expect(getItems(doc).size).toBe(5);
		undo.undo();
		expect(changesBetween(readRoomState(wiped), readRoomState(doc))).toEqual([]);
		undo.redo();
		expect(json(doc)).toEqual(json(version));
	});
});

describe('restoreItemFromVersion', () => {
	it('brings back that item only', () => {
		const doc = meeting();
		const version = versionOf(doc);
		wipe(doc);
		restoreItemFromVersion(doc, version, 'a', me);
		expect([...getItems(doc).keys()]).toEqual(['a']);
		expect(readRoomState(doc).items.get('a')).toEqual(readRoomState(version).items.get('a'));
	});

	it('rewinds an item still in the room and leaves the others alone', () => {
		const doc = meeting();
		const version = versionOf(doc);
		setItemText(doc, 'a', 'title', 'Login v2', me);
		addLabel(doc, ['a'], 'later', me);
		setItemText(doc, 'c', 'title', 'Find', me);
		const undo = createUndoManager(doc, me);
		restoreItemFromVersion(doc, version, 'a', me);
		const changes = changesBetween(readRoomState(version), readRoomState(doc));
		expect(changes.map((item) => item.id)).toEqual(['c']);
		undo.undo();
		expect(readRoomState(doc).items.get('a')!.title).toBe('Login v2');
		expect(readRoomState(doc).items.get('a')!.labels).toEqual(['auth', 'later']);
	});

	it('refuses an item the version does not hold', () => {
		const doc = meeting();
		expect(() => restoreItemFromVersion(doc, versionOf(doc), 'nope', me)).toThrow(NotInVersionError);
	});
});
