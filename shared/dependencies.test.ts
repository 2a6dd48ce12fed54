import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem, UnknownItemError } from './doc';
import { itemSet } from './item';
import {
	addBlocker,
	blockersOf,
	blockingCycle,
	BlockingCycleError,
	blockingPath,
	cycleThrough,
	findCycles,
	removeBlocker,
	SelfBlockError,
	type BlockingGraph
} from './dependencies';
import { createItem } from './items';
import { localOrigin } from './origins';

const me = localOrigin('me');
const bob = localOrigin('bob');

function docWith(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: id, now: 1 }, me);
	return doc;
}

describe('blockers', () => {
	it('adds, reads sorted and removes', () => {
		const doc = docWith('a', 'b', 'c');
		expect(blockersOf(doc, 'a')).toEqual([]);
		addBlocker(doc, 'a', 'c', me);
		addBlocker(doc, 'a', 'b', me);
		addBlocker(doc, 'a', 'b', me);
		expect(blockersOf(doc, 'a')).toEqual(['b', 'c']);
		expect(blockersOf(doc, 'b')).toEqual([]);
		removeBlocker(doc, 'a', 'c', me);
		expect(blockersOf(doc, 'a')).toEqual(['b']);
		removeBlocker(doc, 'a', 'c', me); // not there: nothing happens
		expect(blockersOf(doc, 'a')).toEqual(['b']);
	});
	it('refuses a self-link', () => {
		const doc = docWith('a');
		expect(() => addBlocker(doc, 'a', 'a', me)).toThrow(SelfBlockError);
		expect(() => addBlocker(doc, 'a', 'a', me)).toThrow(InvalidInputError);
	});
	it('refuses a link that closes a cycle, direct or through others', () => {
		const doc = docWith('a', 'b', 'c');
		addBlocker(doc, 'a', 'b', me); // a blocked by b
		expect(() => addBlocker(doc, 'b', 'a', me)).toThrow(BlockingCycleError);
		addBlocker(doc, 'b', 'c', me); // b blocked by c
		expect(() => addBlocker(doc, 'c', 'a', me)).toThrow(BlockingCycleError);
		expect(blockersOf(doc, 'c')).toEqual([]);
		addBlocker(doc, 'a', 'c', me); // a shortcut is no cycle
		expect(blockersOf(doc, 'a')).toEqual(['b', 'c']);
	});
	it('refuses unknown items on either side', () => {
		const doc = docWith('a');
		expect(() => addBlocker(doc, 'a', 'zz', me)).toThrow(UnknownItemError);
		expect(() => addBlocker(doc, 'zz', 'a', me)).toThrow(UnknownItemError);
		expect(() => blockersOf(doc, 'zz')).toThrow(UnknownItemError);
		expect(() => removeBlocker(doc, 'zz', 'a', me)).toThrow(UnknownItemError);
	});
	it('follows links through an item this doc has not received yet', () => {
		const doc = docWith('a', 'b');
		// As if a peer linked b to an item whose creation has not reached this doc.
		doc.transact(() => itemSet(requireItem(doc, 'b'), 'blockedBy').set('ghost', true));
		addBlocker(doc, 'a', 'b', me);
		expect(blockersOf(doc, 'a')).toEqual(['b']);
		expect(blockingCycle(doc, 'a')).toBeNull();
	});
});

describe('blockingCycle', () => {
	it('is null without a cycle', () => {
		const doc = docWith('a', 'b');
		addBlocker(doc, 'a', 'b', me);
		expect(blockingCycle(doc, 'a')).toBeNull();
		expect(blockingCycle(doc, 'b')).toBeNull();
	});
	it('finds the cycle two people made by linking opposite ways at once', () => {
		const a = docWith('x', 'y');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addBlocker(a, 'x', 'y', me);
		addBlocker(b, 'y', 'x', bob);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(blockingCycle(a, 'x')).toEqual(['x', 'y']);
		expect(blockingCycle(b, 'y')).toEqual(['y', 'x']);
	});
});

describe('the refusal', () => {
	it('carries the chain that already exists, so a three-item cycle can be named', () => {
		const doc = docWith('ant', 'bee', 'cat');
		addBlocker(doc, 'ant', 'bee', me);
		addBlocker(doc, 'bee', 'cat', me);
		const refused = (() => {
			try {
				addBlocker(doc, 'cat', 'ant', me);
			} catch (error) {
				return error;
			}
		})();
		expect(refused).toBeInstanceOf(BlockingCycleError);
		expect((refused as BlockingCycleError).path).toEqual(['ant', 'bee', 'cat']);
	});
});

/** A random graph over a few ids (self-links included, as a hostile peer could write). */
const graphs = fc
	.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 20 })
	.map((edges) => {
		const graph = new Map<string, string[]>();
		for (let i = 0; i < 8; i++) graph.set(`n${i}`, []);
		for (const [from, to] of edges) if (!graph.get(`n${from}`)!.includes(`n${to}`)) graph.get(`n${from}`)!.push(`n${to}`);
		return graph;
	});

/** The naive answer: an item is on a cycle when following links from its blockers comes back. */
function onACycle(graph: BlockingGraph, id: string): boolean {
	const seen = new Set<string>();
	const stack = [...(graph.get(id) ?? [])];
	while (stack.length) {
		const at = stack.pop()!;
		if (at === id) return true;
		if (seen.has(at)) continue;
		seen.add(at);
		stack.push(...(graph.get(at) ?? []));
	}
	return false;
}

describe('findCycles and cycleThrough (properties)', () => {
	it('flag exactly the items on a cycle, each in one group', () => {
		fc.assert(
			fc.property(graphs, (graph) => {
				const groups = findCycles(graph);
				const flagged = groups.flat();
				expect(new Set(flagged).size).toBe(flagged.length);
				for (const id of graph.keys()) expect(flagged.includes(id)).toBe(onACycle(graph, id));
			})
		);
	});

	it('group items that reach each other, and only those', () => {
		fc.assert(
			fc.property(graphs, (graph) => {
				for (const group of findCycles(graph)) {
					for (const a of group) for (const b of group) if (a !== b) expect(blockingPath(graph, a, b)).not.toBeNull();
				}
			})
		);
	});

	it('give a real cycle through each flagged item, and none through the others', () => {
		fc.assert(
			fc.property(graphs, (graph) => {
				for (const id of graph.keys()) {
					const cycle = cycleThrough(graph, id);
					expect(cycle !== null).toBe(onACycle(graph, id));
					if (!cycle) continue;
					expect(cycle[0]).toBe(id);
					for (let i = 0; i < cycle.length; i++) expect(graph.get(cycle[i])).toContain(cycle[(i + 1) % cycle.length]);
				}
			})
		);
	});

	it('breaking one link of a shown cycle at a time always ends with no cycle', () => {
		fc.assert(
			fc.property(graphs, (graph) => {
				const links = new Map([...graph].map(([id, to]) => [id, [...to]]));
				for (let guard = 0; guard < 64; guard++) {
					const group = findCycles(links)[0];
					if (!group) return;
					const cycle = cycleThrough(links, group[0])!;
					const next = cycle[1 % cycle.length];
					links.set(cycle[0], links.get(cycle[0])!.filter((id) => id !== next));
				}
				expect(findCycles(links)).toEqual([]);
			})
		);
	});

	it('handles a long chain without running out of stack', () => {
		const graph = new Map<string, string[]>();
		const n = 50_000;
		for (let i = 0; i < n; i++) graph.set(`i${i}`, [`i${(i + 1) % n}`]);
		expect(findCycles(graph)[0]).toHaveLength(n);
	});
});
