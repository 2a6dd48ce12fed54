import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems, getMeta, getRankLog, requireItem } from './doc';
import { exportRoom } from './exportJson';
import { readCriteria } from './criteria';
import { readEstimate } from './estimates';
import { F, itemString, itemText } from './item';
import { setItemText } from './items';
import { readLabels } from './labels';
import { moveItem, orderedIds } from './order';
import { localOrigin, systemOrigin } from './origins';
import { rankBetween } from './rank';
import { v1Room } from './testing/v1Room';
import { migrate, MIGRATIONS, NewerSchemaError, SCHEMA_VERSION, schemaVersionOf, type Migration } from './schema';

const migration = systemOrigin('migration');

/** A room as saved before versioning: plain strings, few fields. */
function v0Doc(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const old = new Y.Map<unknown>();
		old.set(F.id, 'old');
		old.set(F.title, 'Plain title');
		old.set(F.description, 'Plain description');
		old.set(F.rank, rankBetween(null, null, 'old'));
		getItems(doc).set('old', old);
		const bare = new Y.Map<unknown>();
		bare.set(F.id, 'bare');
		bare.set(F.rank, rankBetween(old.get(F.rank) as string, null, 'bare'));
		getItems(doc).set('bare', bare);
	});
	return doc;
}

describe('schemaVersionOf', () => {
	it('reads 0 when the doc says nothing or nonsense', () => {
		const doc = new Y.Doc();
		expect(schemaVersionOf(doc)).toBe(0);
		getMeta(doc).set('schemaVersion', 'one');
		expect(schemaVersionOf(doc)).toBe(0);
		getMeta(doc).set('schemaVersion', 1);
		expect(schemaVersionOf(doc)).toBe(1);
	});
});

describe('migrate', () => {
	it('brings a v0 room to the current version, filling missing fields', () => {
		const doc = v0Doc();
		const ran = migrate(doc, migration);
		expect(ran).toEqual(MIGRATIONS.map((m) => m.describe));
		expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
		const old = requireItem(doc, 'old');
		expect(itemText(old, 'title')).toBeInstanceOf(Y.Text);
		expect(itemText(old, 'title').toString()).toBe('Plain title');
		expect(itemText(old, 'description').toString()).toBe('Plain description');
		const bare = requireItem(doc, 'bare');
		expect(itemText(bare, 'title').toString()).toBe('');
		expect(itemString(bare, 'kind')).toBe('story');
		expect(itemString(bare, 'status')).toBe('new');
		expect(readCriteria(bare)).toEqual([]);
		expect(readLabels(bare)).toEqual([]);
		expect(readEstimate(bare)).toEqual({ value: null, stale: false });
		expect(orderedIds(doc)).toEqual(['old', 'bare']);
		// Writers work on a migrated item.
		setItemText(doc, 'old', 'title', 'Plain title, edited', localOrigin('me'));
		expect(itemText(old, 'title').toString()).toBe('Plain title, edited');
	});
	it('never rewrites what someone wrote', () => {
		const doc = v0Doc();
		doc.transact(() => {
			requireItem(doc, 'old').set(F.kind, 'bug');
			requireItem(doc, 'old').set(F.status, 'ready');
		});
		migrate(doc, migration);
		expect(itemString(requireItem(doc, 'old'), 'kind')).toBe('bug');
		expect(itemString(requireItem(doc, 'old'), 'status')).toBe('ready');
	});
	it('does nothing on a current doc, or a second time', () => {
		const doc = v0Doc();
		migrate(doc, migration);
		const before = Y.encodeStateVector(doc);
		expect(migrate(doc, migration)).toEqual([]);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
	it('stamps the version on an empty new doc', () => {
		const doc = new Y.Doc();
		migrate(doc, migration);
		expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
	});
	it('refuses a doc from a newer app with NewerSchemaError and leaves it untouched', () => {
		const doc = v0Doc();
		getMeta(doc).set('schemaVersion', SCHEMA_VERSION + 1);
		const before = Y.encodeStateVector(doc);
		try {
			migrate(doc, migration);
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(NewerSchemaError);
			expect((error as NewerSchemaError).found).toBe(SCHEMA_VERSION + 1);
		}
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(typeof requireItem(doc, 'old').get(F.title)).toBe('string');
	});
	it('runs only the steps from the doc\'s version on, in one transaction', () => {
		const log: number[] = [];
		const steps: Migration[] = [0, 1, 2].map((from) => ({ from, describe: `step ${from}`, run: () => void log.push(from) }));
		const doc = new Y.Doc();
		getMeta(doc).set('schemaVersion', 1);
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(migrate(doc, migration, steps)).toEqual(['step 1', 'step 2']);
		expect(log).toEqual([1, 2]);
		expect(schemaVersionOf(doc)).toBe(3);
		expect(transactions).toBe(1);
	});
	it('two peers migrating the same v0 room at once converge', () => {
		const a = v0Doc();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		migrate(a, migration);
		migrate(b, migration);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(itemText(requireItem(a, 'old'), 'title').toString()).toBe('Plain title');
		expect(itemText(requireItem(b, 'old'), 'title').toString()).toBe('Plain title');
		expect(orderedIds(a)).toEqual(orderedIds(b));
		expect(schemaVersionOf(a)).toBe(SCHEMA_VERSION);
	});
});

const v1Doc = (ids = ['a', 'b', 'c']) => v1Room(ids);

describe('migration 1 → 2: ranks to the rank log', () => {
	it('reads an unmigrated v1 room in its order, and moves in it work', () => {
		const doc = v1Doc();
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
		moveItem(doc, 'c', 'top', localOrigin('me'));
		expect(orderedIds(doc)).toEqual(['c', 'a', 'b']);
	});
	it('drops the id fields and keeps order and fields; a move logs the rank and drops the rank field', () => {
		const doc = v1Doc();
		expect(migrate(doc, migration)).toEqual([MIGRATIONS[1].describe]);
		expect(schemaVersionOf(doc)).toBe(2);
		expect(orderedIds(doc)).toEqual(['a', 'b', 'c']);
		const a = requireItem(doc, 'a');
		expect(a.has(F.id)).toBe(false);
		expect(itemString(a, 'id')).toBe('a');
		expect(itemString(a, 'kind')).toBe('bug');
		expect(itemString(a, 'status')).toBe('ready');
		expect(itemText(a, 'title').toString()).toBe('Title a');
		moveItem(doc, 'a', 'bottom', localOrigin('me'));
		expect(orderedIds(doc)).toEqual(['b', 'c', 'a']);
		expect(a.has(F.rank)).toBe(false);
		expect(getRankLog(doc).toArray().map(([id]) => id)).toEqual(['a']);
	});
	it('keeps a move made by a newer app before the migration ran', () => {
		const doc = v1Doc();
		moveItem(doc, 'c', 'top', localOrigin('me'));
		migrate(doc, migration);
		expect(orderedIds(doc)).toEqual(['c', 'a', 'b']);
		expect(getRankLog(doc).length).toBe(1);
	});
	it('two peers migrating at once, one of them moving, converge and keep the move', () => {
		const a = v1Doc();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		migrate(a, migration);
		migrate(b, migration);
		moveItem(b, 'a', 'bottom', localOrigin('bob'));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(orderedIds(a)).toEqual(['b', 'c', 'a']);
		expect(orderedIds(b)).toEqual(orderedIds(a));
		expect(exportRoom(a, new Date(0))).toEqual(exportRoom(b, new Date(0)));
	});
	it('shrinks a v1 room that had seen many moves', () => {
		const doc = v1Doc(Array.from({ length: 50 }, (_, i) => `i${i}`));
		const before = Y.encodeStateAsUpdate(doc).byteLength;
		migrate(doc, migration);
		for (let i = 0; i < 500; i++) {
			const [id, anchor] = [(i * 7) % 50, (i * 3 + 1) % 50];
			if (id !== anchor) moveItem(doc, `i${id}`, { before: `i${anchor}` }, localOrigin('me'));
		}
		expect(orderedIds(doc)).toHaveLength(50);
		// 500 moves as rewritten rank fields alone cost ~5 KB.
		expect(Y.encodeStateAsUpdate(doc).byteLength - before).toBeLessThan(2_500);
	});
});
