import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { readCriteria, type Criterion } from '$shared/criteria';
import { blockersOf } from '$shared/dependencies';
import { getItems, getMeta, getRankLog, type ItemMap } from '$shared/doc';
import { readEstimate, type EstimateState } from '$shared/estimates';
import { F, isDeleted, itemString, itemText, type ItemKind, type ItemStatus } from '$shared/item';
import { readLabels } from '$shared/labels';
import { readSource, type ItemSource } from '$shared/source';
import { readiness, readyChecklist } from '$shared/ready';
import { childEstimateSum, childrenOf } from '$shared/split';

/** Another item as the detail pane names it. */
export interface ItemRef {
	id: string;
	title: string;
	/** False when it is in the trash (a blocker can be). */
	live: boolean;
}

/** A line of the Definition of Ready, ticked or not on this item. */
export interface ReadyLine {
	id: string;
	label: string;
	done: boolean;
}

/**
 * One item as the detail pane reads it. Reads go to the document on every access, through one
 * subscriber on the items (the pane shows other items too: blockers, children) and the meta
 * (the Definition of Ready); nothing is copied.
 */
export class ItemDetail {
	readonly id: string;
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc, id: string) {
		this.#doc = doc;
		this.id = id;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			const ranks = getRankLog(doc);
			const meta = getMeta(doc);
			items.observeDeep(update);
			// Children are listed in rank order, and ranks live in their own log.
			ranks.observe(update);
			meta.observe(update);
			return () => {
				items.unobserveDeep(update);
				ranks.unobserve(update);
				meta.unobserve(update);
			};
		});
	}

	get #item(): ItemMap | undefined {
		this.#subscribe();
		return getItems(this.#doc).get(this.id);
	}

	/** False when no such item has reached this device. */
	get exists(): boolean {
		return this.#item !== undefined;
	}

	/** False when the item is missing or in the trash. */
	get live(): boolean {
		const item = this.#item;
		return item !== undefined && !isDeleted(item);
	}

	/**
	 * The Yjs client that moved the item to the trash, or null when it is not there. A person's
	 * awareness id is their document's client id, so Presence names them while they are here;
	 * the document itself stores no name (Yjs keeps the writer of every value anyway).
	 */
	get deletedByClient(): number | null {
		const item = this.#item;
		if (!item || !isDeleted(item)) return null;
		// `_map` is how Yjs exposes a map's entries as structs (used by y-prosemirror and others).
		const entry = (item as unknown as { _map: Map<string, { id: { client: number } }> })._map.get(F.deletedAt);
		return entry?.id.client ?? null;
	}

	get title(): string {
		const item = this.#item;
		return item ? itemText(item, 'title').toString() : '';
	}

	get kind(): ItemKind {
		const item = this.#item;
		return (item ? itemString(item, 'kind') : undefined) as ItemKind;
	}

	get status(): ItemStatus {
		const item = this.#item;
		return (item ? itemString(item, 'status') : undefined) as ItemStatus;
	}

	get labels(): string[] {
		const item = this.#item;
		return item ? readLabels(item) : [];
	}

	/** Where it lives in the tracker it was imported from, or null. */
	get source(): ItemSource | null {
		const item = this.#item;
		return item ? readSource(item) : null;
	}

	get criteria(): Criterion[] {
		const item = this.#item;
		return item ? readCriteria(item) : [];
	}

	get estimate(): EstimateState {
		const item = this.#item;
		return item ? readEstimate(item) : { value: null, stale: false };
	}

	get checklist(): ReadyLine[] {
		if (!this.#item) return [];
		const { done } = readiness(this.#doc, this.id);
		return readyChecklist(this.#doc).map((check) => ({ ...check, done: done.includes(check.id) }));
	}

	get ready(): boolean {
		return this.#item ? readiness(this.#doc, this.id).ready : false;
	}

	get blockers(): ItemRef[] {
		if (!this.#item) return [];
		return blockersOf(this.#doc, this.id).map((id) => this.#ref(id));
	}

	get children(): (ItemRef & { estimate: string | null })[] {
		if (!this.#item) return [];
		return childrenOf(this.#doc, this.id).map((id) => ({ ...this.#ref(id), estimate: readEstimate(getItems(this.#doc).get(id)!).value }));
	}

	get childEstimates(): { sum: number; estimated: number; unestimated: number } {
		this.#subscribe();
		return childEstimateSum(this.#doc, this.id);
	}

	#ref(id: string): ItemRef {
		const item = getItems(this.#doc).get(id);
		return { id, title: item ? itemText(item, 'title').toString() : '', live: item !== undefined && !isDeleted(item) };
	}
}
