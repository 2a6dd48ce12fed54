/**
 * The relay's total disk budget (MAX_DISK_BYTES): bytes stored in the data directory, measured
 * every second, plus the updates admitted since the last measure (so a burst cannot run past it
 * between two measures). At the budget, new rooms and updates that add bytes are refused
 * (4507, retried by clients); stored rooms stay readable, and writes resume once a measure finds
 * space again (a room deleted, content collected).
 */
export class DiskBudget {
	readonly maxBytes: number;
	readonly #measure: () => number;
	readonly #timer: NodeJS.Timeout;
	#used: number;
	/** The last update refused for space: while it still would not fit, the budget counts as reached. */
	#refused = 0;

	constructor(maxBytes: number, measure: () => number, intervalMs = 1000) {
		this.maxBytes = maxBytes;
		this.#measure = measure;
		this.#used = measure();
		this.#timer = setInterval(() => this.refresh(), intervalMs);
		this.#timer.unref();
	}

	/** Bytes stored at the last measure plus those admitted since. */
	get used(): number {
		return this.#used;
	}

	/**
	 * Reached: no room for anything new (a room claimed, say). True at the budget, and while the
	 * last update refused for space still would not fit (so a new room is not let in with the
	 * space a waiting writer could not have).
	 */
	full(): boolean {
		return this.#used + Math.max(1, this.#refused) > this.maxBytes;
	}

	/** Count `bytes` about to be stored; false (nothing counted) if they would pass the budget. */
	take(bytes: number): boolean {
		if (this.#used + bytes > this.maxBytes) {
			this.#refused = bytes;
			return false;
		}
		this.#refused = 0;
		this.#used += bytes;
		return true;
	}

	/** Measure again now. A failed measure keeps the last count. */
	refresh(): void {
		try {
			this.#used = this.#measure();
		} catch {
			// The directory could not be read: the store's own health check reports that.
		}
	}

	close(): void {
		clearInterval(this.#timer);
	}
}
