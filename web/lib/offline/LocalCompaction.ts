import { PREFERRED_TRIM_SIZE, storeState, type IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * Keeps a room's IndexedDB copy small. y-indexeddb appends one record per update and folds them
 * into one snapshot once there are `PREFERRED_TRIM_SIZE` (500), but only after a full second
 * without updates: someone typing steadily, or a stream of remote changes, postpones it for as
 * long as it lasts, and the store grows meanwhile. Here the fold also runs at most `maxWaitMs`
 * after the store passed the threshold, whatever else happens (a debounce with a maximum wait),
 * and once after loading when the stored copy is already long.
 *
 * y-indexeddb's fold reads the records other tabs added before writing the snapshot, and deletes
 * only the records the snapshot includes, in one IndexedDB transaction, so tabs can fold at
 * the same time without losing each other's writes.
 */
export class LocalCompaction {
	readonly #persistence: IndexeddbPersistence;
	readonly #doc: Y.Doc;
	readonly #threshold: number;
	readonly #maxWaitMs: number;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#destroyed = false;
	/** Folds done by this tab, for tests and the docs' numbers. */
	compactions = 0;

	constructor(persistence: IndexeddbPersistence, doc: Y.Doc, { threshold = PREFERRED_TRIM_SIZE, maxWaitMs = 2_000 } = {}) {
		this.#persistence = persistence;
		this.#doc = doc;
		this.#threshold = threshold;
		this.#maxWaitMs = maxWaitMs;
		doc.on('update', this.#onUpdate);
		void persistence.whenSynced.then(() => this.#check(0));
	}

	/** Records in the store, as y-indexeddb counts them (its own count, kept in step with the store). */
	get storedRecords(): number {
		return this.#persistence._dbsize;
	}

	#onUpdate = (_update: Uint8Array, origin: unknown) => {
		// y-indexeddb stores every update but those it loaded itself, and counts them as it goes.
		if (origin !== this.#persistence) this.#check(this.#maxWaitMs);
	};

	#check(waitMs: number): void {
		if (this.#destroyed || this.#timer !== null || !this.#persistence.synced) return;
		if (this.#persistence._dbsize < this.#threshold) return;
		this.#timer = setTimeout(() => void this.compact(), waitMs);
	}

	/** Fold every stored record into one snapshot now. */
	async compact(): Promise<void> {
		this.#timer = null;
		if (this.#destroyed || !this.#persistence.db) return;
		try {
			await storeState(this.#persistence, true);
			this.compactions++;
		} catch (error) {
			// A closing database (the tab is leaving) is not worth an error: the next load folds.
			if (!this.#destroyed) console.warn('Could not compact the local copy of the room', error);
		}
	}

	destroy(): void {
		this.#destroyed = true;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#doc.off('update', this.#onUpdate);
	}
}
