import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems, InvalidInputError, requireItem, UnknownItemError } from './doc';
import { F, itemNullable, itemSet, itemString, itemText } from './item';
import {
	cleanLabel,
	cleanTitle,
	createItem,
	deleteItems,
	editItemText,
	MAX_DESCRIPTION_LENGTH,
	MAX_TITLE_LENGTH,
	restoreItems,
	setItemText,
	setKind,
	setStatus,
	setStatusMany,
	setKindMany
} from './items';
import type { ItemKind, ItemStatus } from './item';
import { orderedIds } from './order';
import { localOrigin } from './origins';
import { rankBetween } from './rank';

const me = localOrigin('me');

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: `Item ${id}`, now: 1 }, me);
	return doc;
}

const title = (doc: Y.Doc, id: string) => itemText(requireItem(doc, id), 'title').toString();
const deletedAt = (doc: Y.Doc, id: string) => itemNullable<number>(requireItem(doc, id), 'deletedAt');

describe('createItem', () => {
	it('creates an item with every field and defaults', () => {
		const doc = new Y.Doc();
		const id = createItem(doc, { id: 'a', title: '  Login   with SSO ', by: 'ann', now: 1000 }, me);
		expect(id).toBe('a');
		const item = requireItem(doc, 'a');
		expect(itemString(item, 'id')).toBe('a');
		expect(title(doc, 'a')).toBe('Login with SSO');
		expect(itemText(item, 'description').toString()).toBe('');
		expect(itemString(item, 'kind')).toBe('story');
		expect(itemString(item, 'status')).toBe('new');
		expect(itemString(item, 'createdBy')).toBe('ann');
		expect(item.get(F.createdAt)).toBe(1000);
		expect(itemNullable(item, 'estimate')).toBeNull();
		expect(itemNullable(item, 'parent')).toBeNull();
		expect(deletedAt(doc, 'a')).toBeNull();
		expect(item.get(F.criteria)).toBeInstanceOf(Y.Array);
		expect(itemSet(item, 'labels').keys()).toEqual([]);
		expect(itemSet(item, 'ready').keys()).toEqual([]);
		expect(itemSet(item, 'blockedBy').keys()).toEqual([]);
	});
	it('makes a random id when none is given', () => {
		const doc = new Y.Doc();
		const id = createItem(doc, { title: 'x' }, me);
		expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(getItems(doc).has(id)).toBe(true);
	});
	it('takes description, kind, status and cleaned, deduplicated labels', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 't', description: 'd', kind: 'bug', status: 'ready', labels: [' ux ', 'ux', 'api'] }, me);
		const item = requireItem(doc, 'a');
		expect(itemText(item, 'description').toString()).toBe('d');
		expect(itemString(item, 'kind')).toBe('bug');
		expect(itemString(item, 'status')).toBe('ready');
		expect([...itemSet(item, 'labels').keys()].sort()).toEqual(['api', 'ux']);
	});
	it('adds at the bottom of the live backlog, even below items in the trash', () => {
		const doc = docWith('a', 'b', 'c');
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
		deleteItems(doc, ['c'], me, 5);
		createItem(doc, { id: 'd', title: 'd' }, me);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'd']);
	});
	it('places at a given rank', () => {
		const doc = docWith('a', 'b');
		const first = itemString(requireItem(doc, 'a'), 'rank');
		createItem(doc, { id: 'top', title: 't', rank: rankBetween(null, first, 'top') }, me);
		expect(orderedIds(doc)[0]).toBe('top');
	});
	it('links to an existing parent', () => {
		const doc = docWith('p');
		createItem(doc, { id: 'c', title: 'child', parent: 'p' }, me);
		expect(itemNullable(requireItem(doc, 'c'), 'parent')).toBe('p');
	});
	it('refuses bad input with InvalidInputError and leaves the doc unchanged', () => {
		const doc = docWith('a');
		const before = Y.encodeStateVector(doc);
		expect(() => createItem(doc, { id: 'a', title: 'again' }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: '   ' }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', description: 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1) }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', kind: 'saga' as ItemKind }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', status: 'wip' as ItemStatus }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', rank: 'not a rank' }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', labels: [' '] }, me)).toThrow(InvalidInputError);
		expect(() => createItem(doc, { title: 't', parent: 'nope' }, me)).toThrow(UnknownItemError);
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(orderedIds(doc)).toEqual(['a']);
	});
});

describe('cleanTitle and cleanLabel', () => {
	it('collapse whitespace and trim', () => {
		expect(cleanTitle(' a \n\t b ')).toBe('a b');
		expect(cleanLabel('  front   end ')).toBe('front end');
	});
	it('refuse empty and overlong values', () => {
		expect(() => cleanTitle('\n')).toThrow(InvalidInputError);
		expect(cleanTitle('x'.repeat(MAX_TITLE_LENGTH))).toHaveLength(MAX_TITLE_LENGTH);
		expect(() => cleanLabel('')).toThrow(InvalidInputError);
		expect(cleanLabel('x'.repeat(40))).toHaveLength(40);
		expect(() => cleanLabel('x'.repeat(41))).toThrow(InvalidInputError);
	});
});

describe('editItemText and setItemText', () => {
	it('apply a typing change', () => {
		const doc = docWith('a');
		editItemText(doc, 'a', 'title', { index: 5, remove: 1, insert: 'A!' }, me);
		expect(title(doc, 'a')).toBe('Item A!');
		editItemText(doc, 'a', 'description', { index: 0, remove: 0, insert: 'Why' }, me);
		expect(itemText(requireItem(doc, 'a'), 'description').toString()).toBe('Why');
	});
	it('refuse a change past the length limit, and unknown items', () => {
		const doc = docWith('a');
		expect(() => editItemText(doc, 'a', 'title', { index: 0, remove: 0, insert: 'x'.repeat(MAX_TITLE_LENGTH) }, me)).toThrow(InvalidInputError);
		expect(title(doc, 'a')).toBe('Item a');
		expect(() => editItemText(doc, 'zz', 'title', { index: 0, remove: 0, insert: 'x' }, me)).toThrow(UnknownItemError);
	});
	it('set a whole value, cleaning a title but not a description', () => {
		const doc = docWith('a');
		setItemText(doc, 'a', 'title', '  New   title ', me);
		expect(title(doc, 'a')).toBe('New title');
		setItemText(doc, 'a', 'description', '  keep\n spaces ', me);
		expect(itemText(requireItem(doc, 'a'), 'description').toString()).toBe('  keep\n spaces ');
	});
	it('refuse an empty title, an overlong description and unknown items', () => {
		const doc = docWith('a');
		expect(() => setItemText(doc, 'a', 'title', '  ', me)).toThrow(InvalidInputError);
		expect(() => setItemText(doc, 'a', 'description', 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1), me)).toThrow(InvalidInputError);
		expect(() => setItemText(doc, 'zz', 'title', 'x', me)).toThrow(UnknownItemError);
		expect(title(doc, 'a')).toBe('Item a');
	});
	it('merge a whole-value write with concurrent typing from another doc', () => {
		const a = docWith('x');
		const b = new Y.Doc();
		sync(a, b);
		setItemText(a, 'x', 'title', 'Item x (urgent)', me);
		editItemText(b, 'x', 'title', { index: 0, remove: 0, insert: 'The ' }, localOrigin('bob'));
		sync(a, b);
		expect(title(a, 'x')).toBe('The Item x (urgent)');
		expect(title(b, 'x')).toBe(title(a, 'x'));
	});
});

describe('setKind, setStatus, setStatusMany', () => {
	it('set the field', () => {
		const doc = docWith('a', 'b', 'c');
		setKind(doc, 'a', 'epic', me);
		setStatus(doc, 'a', 'done', me);
		setStatusMany(doc, ['b', 'c'], 'ready', me);
		expect(itemString(requireItem(doc, 'a'), 'kind')).toBe('epic');
		expect(['a', 'b', 'c'].map((id) => itemString(requireItem(doc, id), 'status'))).toEqual(['done', 'ready', 'ready']);
	});
	it('refuse unknown values and items', () => {
		const doc = docWith('a');
		expect(() => setKind(doc, 'a', 'saga' as ItemKind, me)).toThrow(InvalidInputError);
		expect(() => setStatus(doc, 'a', 'wip' as ItemStatus, me)).toThrow(InvalidInputError);
		expect(() => setStatusMany(doc, ['a'], 'wip' as ItemStatus, me)).toThrow(InvalidInputError);
		expect(() => setKind(doc, 'zz', 'bug', me)).toThrow(UnknownItemError);
		expect(() => setStatus(doc, 'zz', 'done', me)).toThrow(UnknownItemError);
	});
	it('setStatusMany changes nothing when one id is unknown', () => {
		const doc = docWith('a', 'b');
		expect(() => setStatusMany(doc, ['a', 'zz', 'b'], 'done', me)).toThrow(UnknownItemError);
		expect(itemString(requireItem(doc, 'a'), 'status')).toBe('new');
		expect(itemString(requireItem(doc, 'b'), 'status')).toBe('new');
	});
	it('setKindMany sets every kind in one step, or none when one id is unknown or the kind is', () => {
		const doc = docWith('a', 'b', 'c');
		setKindMany(doc, ['a', 'c'], 'bug', me);
		expect(['a', 'b', 'c'].map((id) => itemString(requireItem(doc, id), 'kind'))).toEqual(['bug', 'story', 'bug']);
		expect(() => setKindMany(doc, ['b', 'zz'], 'spike', me)).toThrow(UnknownItemError);
		expect(() => setKindMany(doc, ['b'], 'saga' as ItemKind, me)).toThrow(InvalidInputError);
		expect(itemString(requireItem(doc, 'b'), 'kind')).toBe('story');
	});
});

describe('deleteItems and restoreItems', () => {
	/** p → c → g, plus an unrelated item x. */
	function family(): Y.Doc {
		const doc = docWith('p', 'x');
		createItem(doc, { id: 'c', title: 'c', parent: 'p', now: 1 }, me);
		createItem(doc, { id: 'g', title: 'g', parent: 'c', now: 1 }, me);
		return doc;
	}

	it('soft-deletes an item and all its descendants, keeping them in the doc', () => {
		const doc = family();
		deleteItems(doc, ['p'], me, 100);
		expect(orderedIds(doc)).toEqual(['x']);
		expect(['p', 'c', 'g'].map((id) => deletedAt(doc, id))).toEqual([100, 100, 100]);
		expect(getItems(doc).size).toBe(4);
	});
	it('keeps the first deletion time of an item already in the trash', () => {
		const doc = family();
		deleteItems(doc, ['x'], me, 50);
		deleteItems(doc, ['x'], me, 60);
		expect(deletedAt(doc, 'x')).toBe(50);
	});
	it('refuses an unknown id before deleting anything', () => {
		const doc = family();
		expect(() => deleteItems(doc, ['p', 'zz'], me, 1)).toThrow(UnknownItemError);
		expect(orderedIds(doc)).toEqual(['p', 'x', 'c', 'g']);
	});
	it('restores with the descendants deleted together, but not those deleted before', () => {
		const doc = family();
		deleteItems(doc, ['g'], me, 10); // on its own, earlier
		deleteItems(doc, ['p'], me, 20); // takes c with it
		expect(deletedAt(doc, 'c')).toBe(20);
		restoreItems(doc, ['p'], me);
		expect(deletedAt(doc, 'p')).toBeNull();
		expect(deletedAt(doc, 'c')).toBeNull();
		expect(deletedAt(doc, 'g')).toBe(10);
		expect(orderedIds(doc)).toEqual(['p', 'x', 'c']);
	});
	it('restores an item at the rank it had', () => {
		const doc = docWith('a', 'b', 'c');
		deleteItems(doc, ['b'], me, 1);
		restoreItems(doc, ['b'], me);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
	});
	it('ignores live items and refuses unknown ids without restoring anything', () => {
		const doc = family();
		deleteItems(doc, ['x'], me, 5);
		restoreItems(doc, ['p'], me); // live: nothing to do
		expect(orderedIds(doc)).toEqual(['p', 'c', 'g']);
		expect(() => restoreItems(doc, ['x', 'zz'], me)).toThrow(UnknownItemError);
		expect(deletedAt(doc, 'x')).toBe(5);
	});
	it('keeps an edit that raced the delete on another doc', () => {
		const a = docWith('x');
		const b = new Y.Doc();
		sync(a, b);
		deleteItems(a, ['x'], me, 7);
		setItemText(b, 'x', 'title', 'Edited meanwhile', localOrigin('bob'));
		sync(a, b);
		expect(orderedIds(b)).toEqual([]);
		restoreItems(b, ['x'], localOrigin('bob'));
		expect(title(b, 'x')).toBe('Edited meanwhile');
		expect(orderedIds(b)).toEqual(['x']);
	});
});

describe('deleteItems reaching through the trash', () => {
	it('deletes a live grandchild whose parent was already in the trash', () => {
		const doc = docWith('top');
		createItem(doc, { id: 'child', title: 'Child', parent: 'top' }, me);
		createItem(doc, { id: 'grandchild', title: 'Grandchild', parent: 'child' }, me);
		deleteItems(doc, ['child'], me, 10);
		restoreItems(doc, ['grandchild'], me);
		expect(deletedAt(doc, 'grandchild')).toBeNull();
		deleteItems(doc, ['top'], me, 20);
		expect(deletedAt(doc, 'top')).toBe(20);
		expect(deletedAt(doc, 'child')).toBe(10);
		expect(deletedAt(doc, 'grandchild')).toBe(20);
	});
});
