import * as Y from 'yjs';
import { addCriterion, setCriterionDone } from '../shared/criteria';
import { setEstimate } from '../shared/estimates';
import { createItem, deleteItems, editItemText, restoreItems, setStatus } from '../shared/items';
import { addLabel } from '../shared/labels';
import { getRankLog, requireItem } from '../shared/doc';
import { itemString } from '../shared/item';
import { moveItem, orderedIds, orderedItems } from '../shared/order';
import { localOrigin, systemOrigin } from '../shared/origins';
import { ranksBetween } from '../shared/rank';
import { splitItem } from '../shared/split';
import { fmt, median, timeRuns } from './stats';

/**
 * Model benchmarks (issue 2): mixed operations, document size after many reorders
 * compared with keeping order in a Y.Array, and loading a large room.
 */

const origin = localOrigin('bench');
const setup = systemOrigin('bench');

/** A deterministic PRNG so every run does the same work. */
function prng(seed: number): () => number {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A document with a fixed client id of five bytes, as 15 in 16 random ids are: sizes then do
 * not vary by a few KB from run to run with the id's length.
 */
function benchDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = 3_000_000_000;
	return doc;
}

/**
 * A room of `count` items with a 42-character title; `withText` adds a 190-character
 * description and one acceptance criterion; `varied` gives every item a kind and status other
 * than the defaults (which new items leave out) and a creator, as a worst case for size.
 */
export function backlog(count: number, withText = false, varied = false): Y.Doc {
	const doc = benchDoc();
	const ranks = ranksBetween(null, null, count, 'bench');
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			createItem(
				doc,
				{
					id: `item-${i}`,
					rank: ranks[i],
					title: `Item ${i}: as a user I want something useful`,
					description: withText ? `Description of item ${i}. `.repeat(8) : '',
					...(varied ? { kind: (['bug', 'task', 'spike'] as const)[i % 3], status: 'needs-refinement' as const, by: `user-${i % 7}` } : {}),
					now: 0
				},
				setup
			);
			if (withText) addCriterion(doc, `item-${i}`, `Given a case ${i}, then it works`, setup, `c-${i}`);
		}
	}, setup);
	return doc;
}

/** 10,000 mixed operations, each its own transaction as a person's actions are. */
export function mixedOperations(ops = 10_000): number {
	const doc = backlog(500);
	const random = prng(42);
	const ids = orderedIds(doc);
	const any = () => ids[Math.floor(random() * ids.length)];
	const start = performance.now();
	for (let i = 0; i < ops; i++) {
		const r = random();
		if (r < 0.3) {
			const [id, anchor] = [any(), any()];
			if (id !== anchor) moveItem(doc, id, { before: anchor }, origin);
		}
		else if (r < 0.4) moveItem(doc, any(), random() < 0.5 ? 'top' : 'bottom', origin);
		else if (r < 0.6) editItemText(doc, any(), 'description', { index: 0, remove: 0, insert: 'x' }, origin);
		else if (r < 0.65) ids.push(createItem(doc, { title: `New ${i}` }, origin));
		else if (r < 0.72) addCriterion(doc, any(), `Criterion ${i}`, origin);
		else if (r < 0.77) setEstimate(doc, any(), '5', origin);
		else if (r < 0.82) setStatus(doc, any(), 'ready', origin);
		else if (r < 0.87) addLabel(doc, [any()], `label-${i % 7}`, origin);
		else if (r < 0.9) {
			const id = any();
			deleteItems(doc, [id], origin);
			restoreItems(doc, [id], origin);
		} else if (r < 0.92) ids.push(...splitItem(doc, any(), [{ title: 'Part A' }, { title: 'Part B' }], origin));
		else {
			const id = any();
			const c = addCriterion(doc, id, 'Tick me', origin);
			setCriterionDone(doc, id, c, true, origin);
		}
	}
	return performance.now() - start;
}

export interface ReorderSizes {
	/** Whole document after the moves, V1 (what y-websocket sends and the relay stores) and V2. */
	total: number;
	totalV2: number;
	/** The same 500 items before any move. */
	baseline: number;
	baselineV2: number;
	/** 500 items with a non-default kind and status and a creator (fields new items leave out when default). */
	baselineVaried: number;
	/** The same ranks written as a field of each item map (schema 1): what the moves added. */
	rankField: number;
	/** Order as a Y.Array with delete+insert: of bare ids, and of the items themselves. */
	array: number;
	arrayV2: number;
	arrayOfItems: number;
	arrayOfItemsV2: number;
	/** Live entries in the rank log at the end (one per item unless moves raced). */
	logEntries: number;
}

/**
 * The same random reorders done by rank (ours: a log of ranks), by rank as a field of the
 * item map (schema 1), and by delete+insert in a Y.Array.
 */
export function reorderSizes(items = 500, moves = 10_000): ReorderSizes {
	const doc = backlog(items);
	const baseline = backlog(items);
	const arrayDoc = benchDoc();
	const list = arrayDoc.getArray<string>('order');
	list.push(orderedIds(doc));
	// Schema 1 kept the rank as a field of each item's map: every move overwrote it.
	const fieldDoc = benchDoc();
	const fields = fieldDoc.getMap<Y.Map<string>>('items');
	fieldDoc.transact(() => {
		for (const { id, rank } of orderedItems(doc)) {
			const map = new Y.Map<string>();
			map.set('rank', rank);
			fields.set(id, map);
		}
	});
	const fieldStart = Y.encodeStateAsUpdate(fieldDoc).byteLength;
	// Order kept by the items' own position in a Y.Array: a move must delete the item
	// and insert a copy, as a Y.Array cannot move an element.
	const itemsDoc = benchDoc();
	const itemList = itemsDoc.getArray<Y.Map<unknown>>('items');
	const copy = (id: string) => {
		const map = new Y.Map<unknown>();
		map.set('id', id);
		const title = new Y.Text();
		title.insert(0, `Item ${id.slice(5)}: as a user I want something useful`);
		map.set('title', title);
		map.set('kind', 'story');
		map.set('status', 'new');
		return map;
	};
	itemList.push(orderedIds(doc).map(copy));
	const random = prng(7);
	for (let i = 0; i < moves; i++) {
		const from = Math.floor(random() * items);
		const to = Math.floor(random() * items);
		const order = orderedIds(doc);
		const id = order[from];
		if (to === from) continue;
		const target = to > from ? { after: order[to] } : { before: order[to] };
		moveItem(doc, id, target, origin);
		fields.get(id)!.set('rank', itemString(requireItem(doc, id), 'rank'));
		arrayDoc.transact(() => {
			list.delete(from, 1);
			list.insert(to, [id]);
		});
		itemsDoc.transact(() => {
			itemList.delete(from, 1);
			itemList.insert(to, [copy(id)]);
		});
	}
	const sameOrder = JSON.stringify(orderedIds(doc)) === JSON.stringify(list.toArray());
	if (!sameOrder) throw new Error('The two backlogs ended in different orders; the comparison would be unfair');
	return {
		total: Y.encodeStateAsUpdate(doc).byteLength,
		totalV2: Y.encodeStateAsUpdateV2(doc).byteLength,
		baseline: Y.encodeStateAsUpdate(baseline).byteLength,
		baselineV2: Y.encodeStateAsUpdateV2(baseline).byteLength,
		baselineVaried: Y.encodeStateAsUpdate(backlog(items, false, true)).byteLength,
		rankField: Y.encodeStateAsUpdate(fieldDoc).byteLength - fieldStart,
		array: Y.encodeStateAsUpdate(arrayDoc).byteLength,
		arrayV2: Y.encodeStateAsUpdateV2(arrayDoc).byteLength,
		arrayOfItems: Y.encodeStateAsUpdate(itemsDoc).byteLength,
		arrayOfItemsV2: Y.encodeStateAsUpdateV2(itemsDoc).byteLength,
		logEntries: getRankLog(doc).length
	};
}

/**
 * Median and fastest milliseconds of `Y.applyUpdate` of each update into a fresh document. The
 * updates take turns, so load from other work on the machine hits all of them alike; on a
 * shared machine the fastest run is the closest to what a quiet one would show.
 */
function loadMs(updates: Uint8Array[], runs: number): { median: number; min: number }[] {
	// A cold load does not pay for collecting an earlier copy: collect between runs when
	// node runs with --expose-gc (npm run bench does).
	const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
	const times = updates.map((): number[] => []);
	for (let run = 0; run < runs; run++) {
		updates.forEach((update, i) => {
			collect();
			const start = performance.now();
			Y.applyUpdate(new Y.Doc(), update);
			times[i].push(performance.now() - start);
		});
	}
	return times.map((t) => ({ median: median(t), min: Math.min(...t) }));
}

/**
 * The floor for the data in plain Yjs: each item's title, description and criterion
 * as a Y.Text (what concurrent typing needs) in one root map, and nothing else: no item maps,
 * no kind, status, rank or any other field.
 */
function textsOnly(count: number): Y.Doc {
	const doc = benchDoc();
	const texts = doc.getMap<Y.Text>('texts');
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			texts.set(`item-${i}.title`, new Y.Text(`Item ${i}: as a user I want something useful`));
			texts.set(`item-${i}.description`, new Y.Text(`Description of item ${i}. `.repeat(8)));
			texts.set(`c-${i}`, new Y.Text(`Given a case ${i}, then it works`));
		}
	});
	return doc;
}

/**
 * The same room as `backlog(count, true)` laid out as schema 1 stored it (plain Yjs): the id,
 * kind, status and rank as fields of every item map. For a ratio measured in the same run.
 */
function schema1Room(count: number): Y.Doc {
	const doc = benchDoc();
	const ranks = ranksBetween(null, null, count, 'bench');
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			const item = new Y.Map<unknown>();
			doc.getMap('items').set(`item-${i}`, item);
			item.set('id', `item-${i}`);
			item.set('title', new Y.Text(`Item ${i}: as a user I want something useful`));
			item.set('description', new Y.Text(`Description of item ${i}. `.repeat(8)));
			const criteria = new Y.Array<Y.Map<unknown>>();
			item.set('criteria', criteria);
			item.set('kind', 'story');
			item.set('status', 'new');
			item.set('rank', ranks[i]);
			item.set('createdAt', 0);
			const criterion = new Y.Map<unknown>();
			criteria.push([criterion]);
			criterion.set('id', `c-${i}`);
			criterion.set('text', new Y.Text(`Given a case ${i}, then it works`));
			criterion.set('rank', 'a0');
		}
	});
	return doc;
}

interface LoadCase {
	bytes: number;
	structs: number;
	applyMs: number;
	/** The fastest of the runs. */
	minMs: number;
}

export interface ModelResults {
	mixedMs: number;
	reorder: ReorderSizes;
	load: LoadCase & { orderMs: number; schema1: LoadCase; varied: LoadCase; titleOnly: LoadCase; floor: LoadCase };
}

export function main(runs = 5): ModelResults {
	const mixedMs = median(Array.from({ length: runs }, () => mixedOperations()));
	const reorder = reorderSizes();
	// Only the encoded states stay in memory: live copies would make every collection slower.
	const rooms = [() => backlog(5_000, true), () => schema1Room(5_000), () => backlog(5_000, true, true), () => backlog(5_000), () => textsOnly(5_000)];
	const updates = rooms.map((make) => Y.encodeStateAsUpdate(make()));
	const times = loadMs(updates, runs * 2 + 1);
	const [rich, schema1, varied, titleOnly, floor] = updates.map((update, i): LoadCase => ({ bytes: update.byteLength, structs: Y.decodeUpdate(update).structs.length, applyMs: times[i].median, minMs: times[i].min }));
	const loaded = new Y.Doc();
	Y.applyUpdate(loaded, updates[0]);
	const orderMs = median(timeRuns(runs, () => void orderedIds(loaded)));
	const load = { ...rich, orderMs, schema1, varied, titleOnly, floor };
	const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
	console.log('## Model');
	console.log(`10,000 mixed operations on a 500-item room: median ${fmt(mixedMs)} ms (${fmt(10_000 / (mixedMs / 1000), 0)} ops/s)`);
	console.log(
		`10,000 reorders of 500 items: whole document ${kb(reorder.total)} V1 (${kb(reorder.totalV2)} V2; the 500 items before any move ${kb(reorder.baseline)} V1, ${kb(reorder.baselineV2)} V2), so the moves add ${kb(reorder.total - reorder.baseline)}; ${reorder.logEntries} live rank-log entries` +
			`; items with a non-default kind, status and a creator would be ${kb(reorder.baselineVaried)} before the moves, ${kb(reorder.baselineVaried + reorder.total - reorder.baseline)} after` +
			`; the same moves as a rank field on each item (schema 1) add ${kb(reorder.rankField)}` +
			`; order as a Y.Array with delete+insert: of bare ids ${kb(reorder.array)} (V2 ${kb(reorder.arrayV2)}), of the items themselves ${kb(reorder.arrayOfItems)} (V2 ${kb(reorder.arrayOfItemsV2)})`
	);
	const line = (c: LoadCase) => `${kb(c.bytes)}, ${c.structs} structs: apply median ${fmt(c.applyMs)} ms (fastest ${fmt(c.minMs)} ms)`;
	console.log(`Load a 5,000-item room (each item with title, description and a criterion): ${line(load)}; then the ordered view ${fmt(orderMs)} ms`);
	console.log(`  the same room as schema 1 stored it (id, kind, status, rank as fields): ${line(load.schema1)} (ratio of medians ${fmt(load.applyMs / load.schema1.applyMs, 2)}, of fastest ${fmt(load.minMs / load.schema1.minMs, 2)})`);
	console.log(`  the same with every item a non-default kind and status and a creator: ${line(load.varied)}`);
	console.log(`  title-only items: ${line(load.titleOnly)}`);
	console.log(`  floor, plain Yjs, only the three Y.Texts per item in one map: ${line(load.floor)}`);
	return { mixedMs, reorder, load };
}

if (import.meta.url === `file://${process.argv[1]}`) main();
