import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { addCriterion, setCriterionDone } from '../../shared/criteria';
import { setEstimate } from '../../shared/estimates';
import { changesBetween } from '../../shared/history/changes';
import { LiveRoomState } from '../../shared/history/LiveRoomState';
import { decodeRoomState } from '../../shared/history/plainState';
import { readRoomState } from '../../shared/history/roomState';
import { DEFAULT_PLAIN_STATE_BUDGET } from '../../server/history/PlainStateWorker';
import { plainStateOf } from '../../server/history/plainStateOf';
import { createItem, deleteItems, editItemText, setStatus } from '../../shared/items';
import { moveItem, orderedIds } from '../../shared/order';
import { localOrigin } from '../../shared/origins';
import { splitItem } from '../../shared/split';
import { SqliteVersionStore, versionsPath } from '../../server/history/SqliteVersionStore';
import { Versions } from '../../server/history/Versions';
import { SqliteStore, databasePath } from '../../server/persistence/SqliteStore';

/**
 * `npm run bench -- history`: what versions cost and how fast the History panel's work is.
 * 1. Storage: a 500-item room edited for an hour a day for 30 days (about 600 edits a meeting,
 *    each its own update through the real SQLite store), a version at the end of each meeting and
 *    one hourly; versions stored by the real `Versions` into `versions.db`.
 * 2. Time: a 2,000-item room, 60 versions: listing them, and the changes between two versions
 *    as the app and CLI get them (the relay's plain states: inflate, parse, compare) and from a
 *    version to the open room, beside the path before plain states (decoding the Yjs bytes) in
 *    the same run, and what making a plain state costs when a version is taken.
 */
const DAY = 86_400_000;
const me = localOrigin('bench');
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function room(items: number): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = 7;
	doc.transact(() => {
		for (let i = 0; i < items; i++) {
			createItem(doc, { id: `item-${i}`, title: `As a shopper I want feature number ${i}`, description: `Some context for item ${i}, about two lines of text that explain why it matters.`, now: 0 }, me);
			addCriterion(doc, `item-${i}`, `It works for case ${i}`, me, `c-${i}`);
		}
	}, me);
	return doc;
}

/** One meeting's edits, each its own transaction (as people make them). */
function meeting(doc: Y.Doc, edits: number, day: number, onUpdate: (update: Uint8Array) => void): void {
	const listener = (update: Uint8Array) => onUpdate(update);
	doc.on('update', listener);
	for (let k = 0; k < edits; k++) {
		const ids = orderedIds(doc);
		const id = pick(ids);
		const r = random();
		if (r < 0.35) editItemText(doc, id, 'description', { index: 0, remove: 0, insert: 'x' }, me);
		else if (r < 0.55) {
			const target = pick(ids);
			if (target !== id) moveItem(doc, id, { before: target }, me);
		}
		else if (r < 0.65) setEstimate(doc, id, pick(['1', '2', '3', '5', '8']), me);
		else if (r < 0.75) setStatus(doc, id, pick(['new', 'needs-refinement', 'ready'] as const), me);
		else if (r < 0.85) addCriterion(doc, id, `Criterion from day ${day}`, me);
		else if (r < 0.9 && id.startsWith('item-')) setCriterionDone(doc, id, `c-${id.slice(5)}`, true, me);
		else if (r < 0.95) createItem(doc, { title: `New on day ${day}` }, me);
		else if (r < 0.98) splitItem(doc, id, [{ title: 'Part one' }, { title: 'Part two' }], me);
		else deleteItems(doc, [id], me);
	}
	doc.off('update', listener);
}

export async function storage(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-bench-history-'));
	try {
		const rooms = SqliteStore.open(dir);
		const versionStore = SqliteVersionStore.open(dir);
		let now = 0;
		const versions = new Versions(rooms, versionStore, { now: () => now });
		const doc = room(500);
		await rooms.claimRoom('room', new Uint8Array(32), 0);
		await rooms.saveSnapshot('room', Y.encodeStateAsUpdate(doc), 0);
		for (let day = 1; day <= 30; day++) {
			now = day * DAY;
			const updates: Uint8Array[] = [];
			meeting(doc, 300, day, (u) => updates.push(u));
			for (const update of updates) rooms.appendUpdate('room', update);
			now += 30 * 60_000;
			await versions.take('room', 'hourly');
			meeting(doc, 300, day, (u) => updates.push(u));
			for (const update of updates.splice(0)) rooms.appendUpdate('room', update);
			now += 40 * 60_000;
			await versions.take('room', 'quiet');
			// The relay compacts the log into a snapshot as it piles up.
			await rooms.saveSnapshot('room', Y.encodeStateAsUpdate(doc), now);
		}
		const list = await versions.list('room');
		const total = list.reduce((sum, v) => sum + v.size, 0);
		const plain = (await Promise.all(list.map((v) => versionStore.readPlain('room', v.id)))).reduce((sum, row) => sum + (row?.plain?.byteLength ?? 0), 0);
		await versions.close();
		await rooms.moveJournal();
		await rooms.close();
		await versionStore.close();
		const roomBytes = Y.encodeStateAsUpdate(doc).byteLength;
		console.log(`\n## History: storage (500 items, 30 days, 600 edits a day in one hour)\n`);
		console.log(`| measure | result |\n|---|---|`);
		console.log(`| room state at the end (V1) | ${kb(roomBytes)} |`);
		console.log(`| versions kept | ${list.length} (a quiet and an hourly one per meeting day) |`);
		console.log(`| their stored bytes together (state deflated + plain state gzipped) | ${kb(total)} (${(total / list.length / 1024).toFixed(1)} KB each on average; plain states ${kb(plain)} of it) |`);
		console.log(`| versions.db on disk (after a checkpoint) | ${kb(statSync(versionsPath(dir)).size)} |`);
		console.log(`| refinery.db on disk | ${kb(statSync(databasePath(dir)).size)} |`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** What the browser does with a served plain state: inflate (its network stack), parse, check. */
const servedState = (plain: Uint8Array) => decodeRoomState(JSON.parse(gunzipSync(plain).toString('utf8')));

export async function timing(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-bench-history-'));
	try {
		const rooms = SqliteStore.open(dir);
		const versionStore = SqliteVersionStore.open(dir);
		let now = 0;
		const versions = new Versions(rooms, versionStore, { now: () => now, retention: { keepAllMs: 365 * DAY, maxBytes: 2 ** 40 } });
		const doc = room(2000);
		await rooms.claimRoom('room', new Uint8Array(32), 0);
		await rooms.saveSnapshot('room', Y.encodeStateAsUpdate(doc), 0);
		for (let v = 1; v <= 60; v++) {
			now = v * 3_600_000;
			const updates: Uint8Array[] = [];
			meeting(doc, 100, v, (u) => updates.push(u));
			await rooms.saveSnapshot('room', Y.encodeStateAsUpdate(doc), now);
			await versions.take('room', 'quiet');
		}
		const list = await versions.list('room');
		const older = (await versions.read('room', list[10].id))!;
		const newer = (await versions.read('room', list[0].id))!;
		const olderPlain = (await versions.readPlain('room', list[10].id))!;
		const times = { list: [] as number[], pair: [] as number[], since: [] as number[], compare: [] as number[], readLive: [] as number[], parse: [] as number[], make: [] as number[], oldPair: [] as number[], oldSince: [] as number[], warmSince: [] as number[] };
		let changed = 0;
		const kept = new LiveRoomState(doc);
		kept.read();
		for (let run = 0; run < 9; run++) {
			let t = performance.now();
			await versions.list('room');
			times.list.push(performance.now() - t);

			// What the app and the CLI do now: two plain states read from the store as served, compared.
			t = performance.now();
			const a = servedState((await versions.readPlain('room', list[10].id))!);
			const b = servedState((await versions.readPlain('room', list[0].id))!);
			const parsed = performance.now();
			const changes = changesBetween(a, b);
			times.pair.push(performance.now() - t);
			times.compare.push(performance.now() - parsed);
			changed = changes.length;

			// "Since the last meeting": the room is open (its document loaded); one plain state is read.
			t = performance.now();
			const version = servedState(olderPlain);
			times.parse.push(performance.now() - t);
			const live = readRoomState(doc);
			times.readLive.push(performance.now() - t - times.parse.at(-1)!);
			changesBetween(version, live);
			times.since.push(performance.now() - t);

			// The same with the open room's state kept from its events (the History panel opened after
			// the unread marks read the room once), five edits later.
			meeting(doc, 5, 100 + run, () => undefined);
			t = performance.now();
			changesBetween(servedState(olderPlain), kept.read());
			times.warmSince.push(performance.now() - t);

			// Same run, the path before plain states: decode the versions' Yjs bytes.
			t = performance.now();
			const da = new Y.Doc();
			Y.applyUpdate(da, older);
			const db = new Y.Doc();
			Y.applyUpdate(db, newer);
			changesBetween(readRoomState(da), readRoomState(db));
			times.oldPair.push(performance.now() - t);
			t = performance.now();
			const dv = new Y.Doc();
			Y.applyUpdate(dv, older);
			changesBetween(readRoomState(dv), readRoomState(doc));
			times.oldSince.push(performance.now() - t);
			for (const d of [da, db, dv]) d.destroy();

			// What taking a version adds, in the worker (off the relay's event loop).
			t = performance.now();
			plainStateOf(newer, DEFAULT_PLAIN_STATE_BUDGET.maxJsonBytes);
			times.make.push(performance.now() - t);
		}
		await versions.close();
		await rooms.close();
		await versionStore.close();
		const json = gunzipSync(olderPlain).byteLength;
		console.log(`\n## History: time (2,000 items, ${list.length} versions of ${kb(newer.byteLength)} state + ${kb(olderPlain.byteLength)} plain state gzipped, ${kb(json)} as JSON), medians of 9\n`);
		console.log(`| measure | median ms | target |\n|---|---|---|`);
		console.log(`| list the versions (SQLite) | ${median(times.list).toFixed(2)} | < 100 |`);
		console.log(`| changes between two versions 10 meetings apart (${changed} items changed): read both plain states, inflate, parse, compare | ${median(times.pair).toFixed(1)} | < 100 |`);
		console.log(`| of which the comparison (changesBetween) | ${median(times.compare).toFixed(1)} | – |`);
		console.log(`| changes from a version to the open room: parse its plain state, read the open room, compare ("Since the last meeting") | ${median(times.since).toFixed(1)} | < 100 |`);
		console.log(`| of which parsing the plain state / reading the open room | ${median(times.parse).toFixed(1)} / ${median(times.readLive).toFixed(1)} | – |`);
		console.log(`| the same, the open room's state kept from its events (LiveRoomState; the panel after the unread marks), 5 edits later | ${median(times.warmSince).toFixed(1)} | < 100 |`);
		console.log(`| same run, before: two versions by decoding their Yjs bytes | ${median(times.oldPair).toFixed(1)} | – |`);
		console.log(`| same run, before: a version to the open room by decoding it | ${median(times.oldSince).toFixed(1)} | – |`);
		console.log(`| making a version's plain state (once, when it is taken; in the worker) | ${median(times.make).toFixed(1)} | – |`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function main(): Promise<void> {
	await storage();
	await timing();
}
