import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { blockingGraph, cycleThrough, findCycles } from '$shared/dependencies';
import { getItems } from '$shared/doc';
import { F, itemString } from '$shared/item';

/** What the room's "blocked by" links say, worked out once per change that touches them. */
interface Facts {
	graph: Map<string, string[]>;
	/** Item id → the group of items waiting on each other it is in. */
	cycles: Map<string, readonly string[]>;
	/** Live items waiting on at least one live item that is not done. */
	blocked: Set<string>;
	/** Item id → the live items it blocks, sorted. */
	blocks: Map<string, string[]>;
}

/** Only a link, a deletion or a status can change the facts; typing in a title cannot. */
function touchesLinks(event: Y.YEvent<Y.AbstractType<unknown>>, items: Y.AbstractType<unknown>): boolean {
	if (event.target === items) return true;
	if (event.path.length !== 1) return false;
	for (const key of event.keys.keys()) if (key === F.deletedAt || key === F.status || key.startsWith(`${F.blockedBy}:`)) return true;
	return false;
}

/**
 * The room's blocking links for the list and the pane: which items are blocked, which sit on a
 * cycle (two people linking opposite ways while apart), and what each item blocks. One instance
 * per session; every row reads the same facts, rebuilt only when a link, deletion or status changes.
 */
export class DependencyView {
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;
	#facts: Facts | null = null;
	#listening = false;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			const changed = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
				if (!events.some((event) => touchesLinks(event, items as Y.AbstractType<unknown>))) return;
				this.#facts = null;
				update();
			};
			items.observeDeep(changed);
			this.#listening = true;
			return () => {
				items.unobserveDeep(changed);
				this.#listening = false;
				this.#facts = null;
			};
		});
	}

	get #current(): Facts {
		this.#subscribe();
		if (this.#facts && this.#listening) return this.#facts;
		const facts = this.#build();
		if (this.#listening) this.#facts = facts;
		return facts;
	}

	#build(): Facts {
		const items = getItems(this.#doc);
		const graph = blockingGraph(this.#doc, { liveOnly: true });
		const cycles = new Map<string, readonly string[]>();
		for (const group of findCycles(graph)) for (const id of group) cycles.set(id, group);
		const blocked = new Set<string>();
		const blocks = new Map<string, string[]>();
		for (const [id, blockers] of graph) {
			for (const blocker of blockers) {
				if (itemString(items.get(blocker)!, 'status') !== 'done') blocked.add(id);
				const list = blocks.get(blocker) ?? [];
				list.push(id);
				blocks.set(blocker, list);
			}
		}
		for (const list of blocks.values()) list.sort();
		return { graph, cycles, blocked, blocks };
	}

	/** True when the item waits on a live item that is not done yet. */
	isBlocked(id: string): boolean {
		return this.#current.blocked.has(id);
	}

	/** True when the item is on a blocking cycle. */
	inCycle(id: string): boolean {
		return this.#current.cycles.has(id);
	}

	/** The shortest cycle through the item (`[id, b1, …]`, each blocked by the next), or null. */
	cycleThrough(id: string): string[] | null {
		const facts = this.#current;
		return facts.cycles.has(id) ? cycleThrough(facts.graph, id) : null;
	}

	/** The live items this one blocks. */
	blocks(id: string): readonly string[] {
		return this.#current.blocks.get(id) ?? [];
	}
}
