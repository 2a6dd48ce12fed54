import type * as Y from 'yjs';
import { getItems, requireItem, InvalidInputError } from './doc';
import { isDeleted, itemSet } from './item';
import type { Origin } from './origins';

/**
 * "Blocked by" links, a Y.Map from the blocking item's id to `true` on the blocked
 * item. A cycle can still appear when two people link opposite ways at once, so
 * readers never assume there is none (see `findCycles`).
 */
export function blockersOf(doc: Y.Doc, itemId: string): string[] {
	return [...itemSet(requireItem(doc, itemId), 'blockedBy').keys()].sort();
}

/** An item named as its own blocker. */
export class SelfBlockError extends InvalidInputError {
	override name = 'SelfBlockError';
	constructor(readonly itemId: string) {
		super('An item cannot block itself');
	}
}

/**
 * A link that would close a cycle of blocking items: `path` is the chain that already exists,
 * from the would-be blocker to the item, each blocked by the next (`[blockerId, …, itemId]`).
 */
export class BlockingCycleError extends InvalidInputError {
	override name = 'BlockingCycleError';
	constructor(
		readonly itemId: string,
		readonly blockerId: string,
		readonly path: readonly string[]
	) {
		super('That link would make the items block each other');
	}
}

/**
 * Mark `itemId` as blocked by `blockerId`. Throws SelfBlockError for a self-link and
 * BlockingCycleError for a link that closes a cycle (both are InvalidInputErrors).
 */
export function addBlocker(doc: Y.Doc, itemId: string, blockerId: string, origin: Origin): void {
	if (itemId === blockerId) throw new SelfBlockError(itemId);
	doc.transact(() => {
		requireItem(doc, blockerId);
		const path = blockingPath(docLinks(doc), blockerId, itemId);
		if (path) throw new BlockingCycleError(itemId, blockerId, path);
		itemSet(requireItem(doc, itemId), 'blockedBy').set(blockerId, true);
	}, origin);
}

export function removeBlocker(doc: Y.Doc, itemId: string, blockerId: string, origin: Origin): void {
	doc.transact(() => itemSet(requireItem(doc, itemId), 'blockedBy').delete(blockerId), origin);
}

/** "Blocked by" links as plain data: item id → the ids that block it. */
export type BlockingGraph = ReadonlyMap<string, readonly string[]>;

/** What following links needs: the blockers of an item (undefined for an unknown one). */
export type BlockingLinks = Pick<BlockingGraph, 'get'>;

/**
 * The room's links as a graph of the items that are blocked by something (an item blocked by
 * nothing can be on no cycle, so a room without links costs one pass over its items' keys).
 * With `liveOnly`, items in the trash and links to them are left out (a deleted item blocks
 * nothing); links to items this peer has not received are dropped.
 */
export function blockingGraph(doc: Y.Doc, { liveOnly = false } = {}): Map<string, string[]> {
	const items = getItems(doc);
	const graph = new Map<string, string[]>();
	const keep = (id: string) => {
		const item = items.get(id);
		return item !== undefined && !(liveOnly && isDeleted(item));
	};
	for (const [id, item] of items) {
		const blockers = itemSet(item, 'blockedBy').keys();
		if (blockers.length === 0 || !keep(id)) continue;
		const live = blockers.filter(keep);
		if (live.length > 0) graph.set(id, live.sort());
	}
	return graph;
}

/** Every link, trash included, read only as far as it is followed: what a new link is checked against. */
function docLinks(doc: Y.Doc): BlockingLinks {
	const items = getItems(doc);
	return {
		get: (id) => {
			const item = items.get(id);
			return item ? itemSet(item, 'blockedBy').keys().filter((blocker) => items.has(blocker)) : undefined;
		}
	};
}

/**
 * The shortest chain of "blocked by" links from `from` to `to` (`[from, …, to]`), or null when
 * `from` does not wait on `to`. Breadth first, so each item is visited once.
 * @example blockingPath(graph, 'a', 'c') // ['a', 'b', 'c'] when a waits on b and b on c
 */
export function blockingPath(graph: BlockingLinks, from: string, to: string): string[] | null {
	const cameFrom = new Map<string, string | null>([[from, null]]);
	const queue = [from];
	for (let head = 0; head < queue.length; head++) {
		const id = queue[head];
		if (id === to) {
			const path: string[] = [];
			for (let at: string | null = id; at !== null; at = cameFrom.get(at)!) path.push(at);
			return path.reverse();
		}
		for (const next of graph.get(id) ?? []) {
			if (!cameFrom.has(next)) {
				cameFrom.set(next, id);
				queue.push(next);
			}
		}
	}
	return null;
}

/**
 * The shortest cycle through `itemId`, as `[itemId, b1, …, bk]` where each waits on the next
 * and `bk` waits on `itemId`; null when the item is on no cycle.
 */
export function cycleThrough(graph: BlockingLinks, itemId: string): string[] | null {
	let best: string[] | null = null;
	for (const blocker of graph.get(itemId) ?? []) {
		if (blocker === itemId) return [itemId];
		const path = blockingPath(graph, blocker, itemId);
		if (path && (best === null || path.length < best.length + 1)) best = [itemId, ...path.slice(0, -1)];
	}
	return best;
}

/**
 * The groups of items that wait on each other (the strongly connected parts of the graph with a
 * cycle), each sorted, in the order of their smallest id. Two people linking opposite ways while
 * apart make one; the UI flags every item in one. Iterative (Tarjan), so a long chain cannot
 * overflow the stack; linear in items and links.
 * @example findCycles(new Map([['a', ['b']], ['b', ['a']], ['c', []]])) // [['a', 'b']]
 */
export function findCycles(graph: BlockingGraph): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const onStack = new Set<string>();
	const stack: string[] = [];
	const groups: string[][] = [];
	let counter = 0;
	for (const root of graph.keys()) {
		if (index.has(root)) continue;
		// Each frame: the node and how many of its links have been followed.
		const frames: [string, number][] = [[root, 0]];
		index.set(root, counter);
		low.set(root, counter++);
		stack.push(root);
		onStack.add(root);
		while (frames.length > 0) {
			const frame = frames[frames.length - 1];
			const [id, followed] = frame;
			const links = graph.get(id) ?? [];
			if (followed < links.length) {
				frame[1]++;
				const next = links[followed];
				if (!graph.has(next)) continue;
				if (!index.has(next)) {
					index.set(next, counter);
					low.set(next, counter++);
					stack.push(next);
					onStack.add(next);
					frames.push([next, 0]);
				} else if (onStack.has(next)) {
					low.set(id, Math.min(low.get(id)!, index.get(next)!));
				}
				continue;
			}
			frames.pop();
			if (frames.length > 0) {
				const parent = frames[frames.length - 1][0];
				low.set(parent, Math.min(low.get(parent)!, low.get(id)!));
			}
			if (low.get(id) === index.get(id)) {
				const group: string[] = [];
				let member: string;
				do {
					member = stack.pop()!;
					onStack.delete(member);
					group.push(member);
				} while (member !== id);
				if (group.length > 1 || links.includes(id)) groups.push(group.sort());
			}
		}
	}
	return groups.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The shortest cycle through `itemId` in the document (live items only), if concurrent edits made one; else null. */
export function blockingCycle(doc: Y.Doc, itemId: string): string[] | null {
	return cycleThrough(blockingGraph(doc, { liveOnly: true }), itemId);
}
