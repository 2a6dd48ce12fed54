import * as Y from 'yjs';
import { addCriterion, setCriterionDone } from '../shared/criteria';
import { setEstimate } from '../shared/estimates';
import { createItem, deleteItems, editItemText, restoreItems, setStatus } from '../shared/items';
import { addLabel } from '../shared/labels';
import { moveItem, orderedIds } from '../shared/order';
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

function backlog(count: number, withText = false): Y.Doc {
	const doc = new Y.Doc();
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

/** The same random reorders done by rank (ours) and by delete+insert in a Y.Array. */
export function reorderSizes(items = 500, moves = 10_000): { rank: number; rankV2: number; array: number; arrayV2: number; arrayOfItems: number; arrayOfItemsV2: number } {
	const doc = backlog(items);
	const arrayDoc = new Y.Doc();
	const list = arrayDoc.getArray<string>('order');
	list.push(orderedIds(doc));
	// Order kept by the items' own position in a Y.Array: a move must delete the item
	// and insert a copy, as a Y.Array cannot move an element.
	const itemsDoc = new Y.Doc();
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
		rank: Y.encodeStateAsUpdate(doc).byteLength - Y.encodeStateAsUpdate(backlog(items)).byteLength,
		rankV2: Y.encodeStateAsUpdateV2(doc).byteLength,
		array: Y.encodeStateAsUpdate(arrayDoc).byteLength,
		arrayV2: Y.encodeStateAsUpdateV2(arrayDoc).byteLength,
		arrayOfItems: Y.encodeStateAsUpdate(itemsDoc).byteLength,
		arrayOfItemsV2: Y.encodeStateAsUpdateV2(itemsDoc).byteLength
	};
}

export interface ModelResults {
	mixedMs: number;
	reorder: ReturnType<typeof reorderSizes> & { total: number; baseline: number };
	load: { bytes: number; applyMs: number; orderMs: number };
}

export function main(runs = 5): ModelResults {
	const mixedMs = median(Array.from({ length: runs }, () => mixedOperations()));
	const sizes = reorderSizes();
	const baseline = Y.encodeStateAsUpdate(backlog(500)).byteLength;
	const reorder = { ...sizes, total: sizes.rank + baseline, baseline };
	const big = Y.encodeStateAsUpdate(backlog(5_000, true));
	let loaded = new Y.Doc();
	// A cold load does not pay for collecting an earlier copy: collect between runs when
	// node runs with --expose-gc (npm run bench does).
	const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
	const applyMs = median(
		Array.from({ length: runs * 2 + 1 }, () => {
			collect();
			const start = performance.now();
			loaded = new Y.Doc();
			Y.applyUpdate(loaded, big);
			return performance.now() - start;
		})
	);
	const orderMs = median(timeRuns(runs, () => void orderedIds(loaded)));
	const results: ModelResults = { mixedMs, reorder, load: { bytes: big.byteLength, applyMs, orderMs } };
	console.log('## Model');
	console.log(`10,000 mixed operations on a 500-item room: median ${fmt(mixedMs)} ms (${fmt(10_000 / (mixedMs / 1000), 0)} ops/s)`);
	console.log(
		`10,000 reorders of 500 items: whole document ${fmt(reorder.total / 1024)} KB (of which the moves ${fmt(reorder.rank / 1024)} KB; V2 encoding ${fmt(reorder.rankV2 / 1024)} KB)` +
			`; order as a Y.Array with delete+insert: of bare ids ${fmt(reorder.array / 1024)} KB (V2 ${fmt(reorder.arrayV2 / 1024)} KB), of the items themselves ${fmt(reorder.arrayOfItems / 1024)} KB (V2 ${fmt(reorder.arrayOfItemsV2 / 1024)} KB)`
	);
	const structs = Y.decodeUpdate(big).structs.length;
	console.log(`Load a 5,000-item room (each item with title, description and a criterion; ${fmt(big.byteLength / 1024)} KB, ${structs} Yjs structs): apply median ${fmt(applyMs)} ms, then ordered view ${fmt(orderMs)} ms`);
	return results;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
