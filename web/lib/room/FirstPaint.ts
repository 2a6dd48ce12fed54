/**
 * The moment the room's first screen is painted: the list shows its first rows (or the room
 * turned out empty), and the browser drew that frame. Parts of the room nobody needs to see the
 * list — folded tools, dialogs, poker's table, the item panel — load and mount after it (see
 * `Deferred.svelte`), so their code is neither compiled nor run before the rows appear. Gives up
 * waiting after `fallbackMs` (a room that never loads still gets its tools).
 */
export class FirstPaint {
	readonly done: Promise<void>;
	#resolve!: () => void;
	#shown = false;

	constructor(fallbackMs = 1500) {
		this.done = new Promise((resolve) => (this.#resolve = resolve));
		setTimeout(() => this.shown(), fallbackMs);
	}

	/** The list shows what the room holds: resolve once the frame with it has been drawn. */
	shown(): void {
		if (this.#shown) return;
		this.#shown = true;
		// The frame is drawn after the next animation frame's callbacks; a task queued there runs after the paint.
		if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(this.#resolve, 0));
		else this.#resolve();
	}
}
