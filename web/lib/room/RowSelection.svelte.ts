import { SvelteSet } from 'svelte/reactivity';

/**
 * The rows this person ticked for a bulk action: local UI state (ids only; the items are read
 * from the document). Ids of items that left the list stay harmlessly until cleared:
 * `pick(rows)` returns only those still shown.
 */
export class RowSelection {
	readonly #ids = new SvelteSet<string>();
	/** Where a Shift+click range starts: the last row ticked or unticked on its own. */
	#anchor: string | null = null;

	has(id: string): boolean {
		return this.#ids.has(id);
	}

	get size(): number {
		return this.#ids.size;
	}

	/** The selected ids among `rows`, in their order. */
	pick<T extends { id: string }>(rows: readonly T[]): T[] {
		if (this.#ids.size === 0) return [];
		return rows.filter((row) => this.#ids.has(row.id));
	}

	/**
	 * Tick or untick one row; with `range`, every row from the anchor to it (in `order`) takes
	 * the same state, as Shift+click does in a file manager.
	 */
	set(id: string, selected: boolean, { range = false, order = [] as readonly string[] } = {}): void {
		const from = this.#anchor === null ? -1 : order.indexOf(this.#anchor);
		const to = order.indexOf(id);
		if (range && from >= 0 && to >= 0) {
			for (let i = Math.min(from, to); i <= Math.max(from, to); i++) this.#apply(order[i], selected);
		} else {
			this.#apply(id, selected);
		}
		this.#anchor = id;
	}

	/** Select exactly these ids (select all), or none. */
	replace(ids: readonly string[]): void {
		this.#ids.clear();
		for (const id of ids) this.#ids.add(id);
		this.#anchor = null;
	}

	clear(): void {
		this.replace([]);
	}

	#apply(id: string, selected: boolean): void {
		if (selected) this.#ids.add(id);
		else this.#ids.delete(id);
	}
}
