import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { getItems, getRankLog } from '$shared/doc';
import { backlogRows, type BacklogRow, type ItemFields } from './backlogRows';

/**
 * The backlog list, read from the document. Nothing is copied into `$state`: `rows` is computed
 * from the Y.Doc, cached while someone reads it (the cache is dropped on every change to items),
 * and the Yjs observer exists only while an effect reads it.
 *
 * While the room is still `loading` (the stored copy and the relay's state arriving, often in
 * several messages), remote changes wake the readers at most once per animation frame: the first
 * at once (so the first rows are not held back a frame), any later ones in that frame together at
 * its start. This person's own changes, and everything once loaded, wake them at once.
 */
export class BacklogView {
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;
	#listening = false;
	#rows: BacklogRow[] | null = null;
	#byId: Map<string, BacklogRow> | null = null;
	/** Per-item fields and the last rows, so a keystroke re-reads one item rather than 5,000. */
	readonly #cache = { fields: new Map<string, ItemFields>(), rows: new Map<string, BacklogRow>() };

	constructor(doc: Y.Doc, { loading = () => false }: { loading?: () => boolean } = {}) {
		this.#doc = doc;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			// Ranks live in their own log: a move changes the order but no item's fields.
			const ranks = getRankLog(doc);
			let frame = 0;
			let pending = false;
			const endFrame = () => {
				frame = 0;
				if (pending) update();
				pending = false;
			};
			const changed = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
				for (const event of events) {
					if (event.target === ranks) continue;
					// An item added or removed changes `items` itself; anything inside one has its id first on the path.
					if (event.target === items) for (const id of event.keys.keys()) this.#cache.fields.delete(id);
					else this.#cache.fields.delete(String(event.path[0]));
				}
				this.#rows = null;
				this.#byId = null;
				const coalesce = !transaction.local && loading();
				if (coalesce && frame !== 0) {
					pending = true;
					return;
				}
				update();
				if (coalesce) frame = requestAnimationFrame(endFrame);
			};
			this.#listening = true;
			const moved = (event: Y.YArrayEvent<[string, string]>, transaction: Y.Transaction) => changed([event as Y.YEvent<Y.AbstractType<unknown>>], transaction);
			items.observeDeep(changed);
			ranks.observe(moved);
			return () => {
				items.unobserveDeep(changed);
				ranks.unobserve(moved);
				cancelAnimationFrame(frame);
				this.#listening = false;
				this.#rows = null;
				this.#byId = null;
				this.#cache.fields.clear();
				this.#cache.rows.clear();
			};
		});
	}

	/** The live items, depth first in backlog order (children under their parent). */
	get rows(): BacklogRow[] {
		this.#subscribe();
		// Outside an effect nothing tells the cache it went stale, so compute afresh.
		if (!this.#listening) return backlogRows(this.#doc);
		this.#rows ??= backlogRows(this.#doc, this.#cache);
		return this.#rows;
	}

	/** The rows by id (built once per change, for lookups in a large list). */
	get byId(): ReadonlyMap<string, BacklogRow> {
		const rows = this.rows;
		if (!this.#listening) return new Map(rows.map((row) => [row.id, row]));
		this.#byId ??= new Map(rows.map((row) => [row.id, row]));
		return this.#byId;
	}

	/** One row by id, or undefined when the item is not live. */
	row(id: string): BacklogRow | undefined {
		return this.byId.get(id);
	}
}
