import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems, getRounds, requireItem } from './doc';
import { addCriterion, moveCriterion, readCriteria, removeCriterion, setCriterionDone } from './criteria';
import { addBlocker, blockersOf } from './dependencies';
import { readEstimate, setEstimate } from './estimates';
import { exportRoom, itemToJson, ROOM_JSON_FORMAT, type RoomJson } from './exportJson';
import { importRoom, parseRoomJson, RoomImportError } from './importJson';
import { itemNullable, itemText } from './item';
import { createItem, deleteItems, setItemText } from './items';
import { addLabel, readLabels } from './labels';
import { initRoom, readMeta, setSetting } from './meta';
import { orderedIds } from './order';
import { importOrigin, localOrigin, systemOrigin } from './origins';
import type { Deck } from './poker/decks';
import { setReadyCheck, setReadyChecklist } from './ready';
import { SCHEMA_VERSION } from './schema';

const me = localOrigin('me');
const fromFile = importOrigin('room.json');
const deck: Deck = { id: 'fib', name: 'Fibonacci', cards: ['1', '2', '3', '5', '8', '?'] };
const T1 = new Date('2030-01-01T00:00:00Z');
const T2 = new Date('2030-06-01T12:00:00Z');

/** A room using every part of the model. */
function richRoom(): Y.Doc {
	const doc = new Y.Doc();
	initRoom(doc, { name: 'Checkout team', deck, by: 'ann', now: 1000 }, me);
	setSetting(doc, 'revealPolicy', 'anyone', me);
	setReadyChecklist(doc, [{ id: 'value', label: 'Value is clear' }, { id: 'small', label: 'Small' }], me);
	createItem(doc, { id: 'epic', title: 'Payments', kind: 'epic', description: 'Take money', by: 'ann', now: 1 }, me);
	createItem(doc, { id: 'card', title: 'Pay by card', parent: 'epic', labels: ['api', 'ux'], by: 'bob', now: 2 }, me);
	createItem(doc, { id: 'bug', title: 'Crash 😀', kind: 'bug', status: 'needs-refinement', now: 3 }, me);
	createItem(doc, { id: 'old', title: 'Old idea', now: 4 }, me);
	addCriterion(doc, 'card', 'Visa works', me, 'k1');
	addCriterion(doc, 'card', 'Declined shows an error', me, 'k2');
	addCriterion(doc, 'card', 'Removed one', me, 'k3');
	removeCriterion(doc, 'card', 'k3', me, 10);
	moveCriterion(doc, 'card', 'k2', 0, me);
	setCriterionDone(doc, 'card', 'k1', true, me);
	setReadyCheck(doc, 'card', 'value', true, me);
	setEstimate(doc, 'card', '5', me);
	setEstimate(doc, 'bug', '3', me);
	setItemText(doc, 'bug', 'description', 'Now with steps', me); // makes its estimate stale
	addBlocker(doc, 'card', 'bug', me);
	deleteItems(doc, ['old'], me, 99);
	doc.transact(() => {
		const round = new Y.Map<unknown>();
		round.set('itemId', 'card');
		round.set('revealed', true);
		const votes = new Y.Map<unknown>();
		votes.set('ann', '5');
		votes.set('bob', '8');
		round.set('votes', votes);
		getRounds(doc).set('r1', round);
	}, systemOrigin('test'));
	return doc;
}

/** Through text, as a file would go. */
const asFile = (json: RoomJson): unknown => JSON.parse(JSON.stringify(json));
const withoutTime = ({ exportedAt: _, ...rest }: RoomJson) => rest;

describe('exportRoom', () => {
	it('exports an empty room', () => {
		const json = exportRoom(new Y.Doc(), T1);
		expect(json).toMatchObject({ format: ROOM_JSON_FORMAT, schemaVersion: 0, exportedAt: '2030-01-01T00:00:00.000Z', items: [], rounds: {} });
		expect(json.room.deck).toBeNull();
		expect(json.room.readyChecklist.length).toBeGreaterThan(0); // the default list
	});
	it('exports the room and every item field, in backlog order with the trash last', () => {
		const json = exportRoom(richRoom(), T1);
		expect(json.schemaVersion).toBe(SCHEMA_VERSION);
		expect(json.room).toEqual({
			name: 'Checkout team',
			deck,
			createdAt: 1000,
			settings: { revealPolicy: 'anyone', facilitator: 'ann', roundTimerSeconds: null, anonymousRounds: false },
			readyChecklist: [{ id: 'value', label: 'Value is clear' }, { id: 'small', label: 'Small' }]
		});
		expect(json.items.map((i) => i.id)).toEqual(['epic', 'card', 'bug', 'old']);
		const card = json.items[1];
		expect(card).toMatchObject({
			title: 'Pay by card',
			description: '',
			kind: 'story',
			status: 'new',
			labels: ['api', 'ux'],
			ready: ['value'],
			estimate: '5',
			estimateStale: false,
			parent: 'epic',
			blockedBy: ['bug'],
			criteria: [
				{ id: 'k2', text: 'Declined shows an error', done: false },
				{ id: 'k1', text: 'Visa works', done: true }
			],
			createdAt: 2,
			createdBy: 'bob',
			deletedAt: null
		});
		expect(json.items[2]).toMatchObject({ title: 'Crash 😀', kind: 'bug', status: 'needs-refinement', estimate: '3', estimateStale: true });
		expect(json.items[3].deletedAt).toBe(99);
		expect(json.rounds).toEqual({ r1: { itemId: 'card', revealed: true, votes: { ann: '5', bob: '8' } } });
	});
	it('itemToJson reads one item', () => {
		const doc = richRoom();
		expect(itemToJson(requireItem(doc, 'epic'))).toMatchObject({ id: 'epic', kind: 'epic', description: 'Take money', parent: null, estimate: null });
	});
});

describe('importRoom', () => {
	it('round trip: export, import into a new doc, export again gives the same (but exportedAt)', () => {
		const first = exportRoom(richRoom(), T1);
		const copy = new Y.Doc();
		expect(importRoom(copy, asFile(first), fromFile)).toMatchObject({ created: 4, updated: 0 });
		const second = exportRoom(copy, T2);
		expect(second.exportedAt).toBe(T2.toISOString());
		expect(withoutTime(second)).toEqual(withoutTime(first));
		// The copy works like the original.
		expect(orderedIds(copy)).toEqual(['epic', 'card', 'bug']);
		expect(readEstimate(requireItem(copy, 'bug'))).toEqual({ value: '3', stale: true });
		expect(readEstimate(requireItem(copy, 'card'))).toEqual({ value: '5', stale: false });
		expect(getRounds(copy).get('r1')!.get('votes')).toBeInstanceOf(Y.Map);
	});
	it('importing a room\'s own export updates by id and never duplicates', () => {
		const doc = richRoom();
		const json = exportRoom(doc, T1);
		expect(importRoom(doc, asFile(json), fromFile)).toMatchObject({ created: 0, updated: 4 });
		expect(importRoom(doc, asFile(json), fromFile)).toMatchObject({ created: 0, updated: 4 });
		expect(getItems(doc).size).toBe(4);
		expect(readCriteria(requireItem(doc, 'card')).map((c) => c.id)).toEqual(['k2', 'k1']);
		expect(withoutTime(exportRoom(doc, T2))).toEqual(withoutTime(json));
	});
	it('keeps the room’s name unless told to take the file’s, and says which happened', () => {
		const doc = richRoom();
		const other = { ...exportRoom(doc, T1), room: { ...exportRoom(doc, T1).room, name: 'Another team' } };
		const before = readMeta(doc).name;
		expect(importRoom(doc, asFile(other), fromFile, { takeName: false })).toMatchObject({ renamed: false });
		expect(readMeta(doc).name).toBe(before);
		expect(importRoom(doc, asFile(other), fromFile, { takeName: true })).toMatchObject({ renamed: true });
		expect(readMeta(doc).name).toBe('Another team');
	});
	it('applies an edited export to the items it names', () => {
		const doc = richRoom();
		const json = exportRoom(doc, T1);
		const card = json.items.find((i) => i.id === 'card')!;
		card.title = 'Pay by card or wallet';
		card.labels = ['ux', 'mobile'];
		card.criteria = [
			{ id: 'k1', text: 'Visa works', done: true },
			{ id: 'k2', text: 'Declined shows an error', done: true },
			{ id: 'k9', text: 'Apple Pay works', done: false }
		];
		card.deletedAt = 5;
		json.items.push({ ...card, id: 'new', title: 'Brand new', parent: null, criteria: [], deletedAt: null, rank: '' });
		expect(importRoom(doc, asFile(json), fromFile)).toMatchObject({ created: 1, updated: 4 });
		const item = requireItem(doc, 'card');
		expect(itemText(item, 'title').toString()).toBe('Pay by card or wallet');
		expect(readLabels(item)).toEqual(['mobile', 'ux']);
		expect(readCriteria(item).map((c) => `${c.id}:${c.done}`)).toEqual(['k1:true', 'k2:true', 'k9:false']);
		expect(itemNullable(item, 'deletedAt')).toBe(5);
		expect(orderedIds(doc)).toEqual(['epic', 'bug', 'new']); // no usable rank: to the bottom
	});
	it('keeps a concurrent edit made on another doc while updating by id', () => {
		const a = richRoom();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const json = exportRoom(a, T1);
		json.items.find((i) => i.id === 'epic')!.description = 'Take money safely';
		importRoom(a, asFile(json), fromFile);
		setItemText(b, 'epic', 'description', 'Take money, fast', localOrigin('bob'));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(itemText(requireItem(a, 'epic'), 'description').toString()).toBe(itemText(requireItem(b, 'epic'), 'description').toString());
		expect(itemText(requireItem(a, 'epic'), 'description').toString()).toMatch(/safely/);
		expect(itemText(requireItem(a, 'epic'), 'description').toString()).toMatch(/fast/);
	});
	it('drops links to items that are neither in the file nor in the room', () => {
		const json = exportRoom(richRoom(), T1);
		const card = json.items.find((i) => i.id === 'card')!;
		card.parent = 'ghost';
		card.blockedBy = ['ghost', 'bug', 'card'];
		const doc = new Y.Doc();
		importRoom(doc, asFile(json), fromFile);
		expect(itemNullable(requireItem(doc, 'card'), 'parent')).toBeNull();
		expect(blockersOf(doc, 'card')).toEqual(['bug']);
	});
	it('fills defaults for optional fields', () => {
		const doc = new Y.Doc();
		importRoom(doc, { format: ROOM_JSON_FORMAT, schemaVersion: 1, room: {}, items: [{ id: 'x', title: ' Minimal ' }] }, fromFile);
		expect(itemToJson(requireItem(doc, 'x'))).toMatchObject({ title: 'Minimal', description: '', kind: 'story', status: 'new', labels: [], criteria: [], estimate: null });
		expect(readMeta(doc).schemaVersion).toBe(SCHEMA_VERSION);
	});
	it('is one undo step for the importing user', () => {
		const doc = new Y.Doc();
		const undo = new Y.UndoManager(getItems(doc), { trackedOrigins: new Set([me]) });
		importRoom(doc, asFile(exportRoom(richRoom(), T1)), me);
		undo.undo();
		expect(getItems(doc).size).toBe(0);
	});
});

describe('malformed imports', () => {
	const good = () => asFile(exportRoom(richRoom(), T1)) as Record<string, any>;
	const cases: [string, (json: Record<string, any>) => unknown, string][] = [
		['not an object', () => 'just text', ''],
		['an array', () => [], ''],
		['another format', (j) => ({ ...j, format: 'trello' }), 'format'],
		['no schema version', (j) => ({ ...j, schemaVersion: '1' }), 'schemaVersion'],
		['a newer schema', (j) => ({ ...j, schemaVersion: SCHEMA_VERSION + 1 }), 'schemaVersion'],
		['no room', (j) => ({ ...j, room: null }), 'room'],
		['items not a list', (j) => ({ ...j, items: {} }), 'items'],
		['an item not an object', (j) => ((j.items[1] = 7), j), 'items[1]'],
		['a title missing', (j) => (delete j.items[2].title, j), 'items[2].title'],
		['an empty title', (j) => ((j.items[0].title = '  '), j), 'items[0].title'],
		['an unknown kind', (j) => ((j.items[0].kind = 'saga'), j), 'items[0].kind'],
		['an unknown status', (j) => ((j.items[0].status = 'wip'), j), 'items[0].status'],
		['criteria not a list', (j) => ((j.items[1].criteria = 'x'), j), 'items[1].criteria'],
		['a criterion not an object', (j) => ((j.items[1].criteria[1] = null), j), 'items[1].criteria[1]'],
		['a criterion without text', (j) => ((j.items[1].criteria[0].text = 5), j), 'items[1].criteria[0].text'],
		['labels not texts', (j) => ((j.items[1].labels = [1]), j), 'items[1].labels'],
		['an overlong estimate', (j) => ((j.items[1].estimate = '123456789'), j), 'items[1].estimate'],
		['a parent not an id', (j) => ((j.items[1].parent = 3), j), 'items[1].parent'],
		['a bad createdAt', (j) => ((j.items[1].createdAt = 'yesterday'), j), 'items[1].createdAt'],
		['an id twice', (j) => ((j.items[3].id = 'card'), j), 'items[3].id'],
		['rounds not objects', (j) => ((j.rounds = { r1: 3 }), j), 'rounds'],
		['a bad room createdAt', (j) => ((j.room.createdAt = Infinity), j), 'room.createdAt']
	];
	for (const [name, spoil, path] of cases) {
		it(`${name}: RoomImportError at "${path}", nothing written`, () => {
			const doc = richRoom();
			const before = Y.encodeStateVector(doc);
			const exported = exportRoom(doc, T1);
			let error: unknown;
			try {
				importRoom(doc, spoil(good()), fromFile);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(RoomImportError);
			expect((error as RoomImportError).path).toBe(path);
			expect(Y.encodeStateVector(doc)).toEqual(before);
			expect(exportRoom(doc, T1)).toEqual(exported);
		});
	}
	it('parseRoomJson accepts a good export and names the problem in its message', () => {
		expect(parseRoomJson(good()).items).toHaveLength(4);
		expect(() => parseRoomJson({ ...good(), format: 'x' })).toThrow(/format/);
	});
});
