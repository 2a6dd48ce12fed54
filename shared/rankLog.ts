import type * as Y from 'yjs';
import { getItems, getRankLog, type ItemMap } from './doc';

/**
 * Item ranks as a log: `[itemId, rank]` entries in the root `ranks` Y.Array, and the last
 * entry for an id (in array order) is its rank. Array order converges, so every peer picks
 * the same winner, as a Y.Map key would. A move appends its entry and deletes the older
 * entries of that id it can see; consecutive appends by one person merge into one struct,
 * and deleted runs shrink to a few bytes, so thousands of moves cost little (rewriting a
 * map key left a ~10-byte tombstone per move). Entries left by concurrent moves are
 * harmless (they lose) and go with the next move of that item.
 *
 * Reads go through a per-document index, rebuilt after any transaction that changed the
 * log elsewhere (a remote update, an undo) before observers run, and kept up to date by
 * `writeRanks` itself, so readers inside observers and inside a transaction see the truth.
 */
export type RankEntry = [id: string, rank: string];

interface RankIndex {
	ranks: Map<string, string>;
	valid: boolean;
	/** Transactions whose only log writes came from `writeRanks` (the index is current). */
	own: WeakSet<Y.Transaction>;
}

const indexes = new WeakMap<Y.Doc, RankIndex>();

function isEntry(value: unknown): value is RankEntry {
	return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

function indexFor(doc: Y.Doc): RankIndex {
	let index = indexes.get(doc);
	if (!index) {
		const log = getRankLog(doc);
		const fresh: RankIndex = { ranks: new Map(), valid: false, own: new WeakSet() };
		doc.on('beforeObserverCalls', (transaction) => {
			if (transaction.changed.has(log as never) && !fresh.own.has(transaction)) fresh.valid = false;
		});
		indexes.set(doc, (index = fresh));
	}
	if (!index.valid) {
		index.ranks.clear();
		// Later entries overwrite earlier ones: the last entry for an id wins.
		getRankLog(doc).forEach((entry) => {
			if (isEntry(entry)) index!.ranks.set(entry[0], entry[1]);
		});
		index.valid = true;
	}
	return index;
}

/** Every item's rank from the log (items of a room not yet migrated are not in it). */
export function loggedRanks(doc: Y.Doc): ReadonlyMap<string, string> {
	return indexFor(doc).ranks;
}

/**
 * Append new ranks for items and delete the older entries of those items. Call inside the
 * writer's transaction.
 */
export function writeRanks(doc: Y.Doc, entries: readonly RankEntry[]): void {
	if (entries.length === 0) return;
	doc.transact((transaction) => {
		const index = indexFor(doc);
		const log = getRankLog(doc);
		const ids = new Set(entries.map(([id]) => id));
		const stale: number[] = [];
		// A new item has no entry to replace: skip the scan, so adding many items stays linear.
		if (entries.some(([id]) => index.ranks.has(id))) {
			log.forEach((entry, i) => {
				if (!isEntry(entry) || ids.has(entry[0])) stale.push(i);
			});
		}
		log.push(entries.map(([id, rank]) => [id, rank] as RankEntry));
		// From the end, so the positions still to delete do not shift; neighbours in one call.
		for (let k = stale.length - 1; k >= 0; ) {
			let start = k;
			while (start > 0 && stale[start - 1] === stale[start] - 1) start--;
			log.delete(stale[start], k - start + 1);
			k = start - 1;
		}
		const items = getItems(doc);
		for (const [id, rank] of entries) {
			index.ranks.set(id, rank);
			// A schema-1 rank field, superseded from now on (see the 1 → 2 migration).
			const item = items.get(id);
			if (item?.has('rank')) item.delete('rank');
		}
		index.own.add(transaction);
	});
}

/** The id an item is stored under: its key in `items` (older rooms also kept it as a field). */
export function itemIdOf(item: ItemMap): string {
	const key = item._item?.parentSub;
	return typeof key === 'string' ? key : (item.get('id') as string);
}

/**
 * An item's rank: its last log entry, else the `rank` field of a room from before the log
 * (or written by an older app), else undefined.
 */
export function rankOfItem(item: ItemMap): unknown {
	const doc = item.doc;
	const logged = doc ? loggedRanks(doc).get(itemIdOf(item)) : undefined;
	return logged ?? item.get('rank');
}
