import { createContext } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type * as Y from 'yjs';
import type { BacklogRow } from './backlogRows';
import type { BacklogView } from './BacklogView.svelte';
import { FirstPaint } from './FirstPaint';
import { rowFacts } from './rowFacts';
import { NO_FILTER, visibleRows, type RowFilter } from './visibleRows';

/**
 * This person's view of the room, never shared with the others: the item open in the detail
 * pane, the collapsed parents and the find filter. Only ids and what the person typed live here;
 * the items themselves are read from the document.
 */
export class RoomUi {
	/** The item shown in the detail pane, or null. */
	openId = $state<string | null>(null);
	readonly collapsed = new SvelteSet<string>();
	filter = $state<RowFilter>({ ...NO_FILTER });
	readonly #doc: Y.Doc;
	readonly #backlog: BacklogView;
	/**
	 * The rows the list shows, after the filter and the collapsed parents: one derivation shared
	 * by the list and the find bar, so the backlog is narrowed once per change, not once per reader.
	 */
	readonly rows = $derived.by(() => this.visible(this.#backlog.rows));
	/** Focus goes to the pane only when this person asked for it (not when following someone). */
	#focusPane = false;
	/** When the list's first screen is painted: what is not needed for it mounts after (Deferred.svelte). */
	readonly firstPaint = new FirstPaint();
	/** True once `firstPaint` is done: for what renders differently before it (the list's window, the find bar's labels). */
	painted = $state(false);

	constructor(doc: Y.Doc, backlog: BacklogView) {
		this.#doc = doc;
		this.#backlog = backlog;
		void this.firstPaint.done.then(() => (this.painted = true));
	}

	/** `rows` narrowed by this person's filter and collapsed parents (what `rows` is made of). */
	visible(rows: readonly BacklogRow[]): readonly BacklogRow[] {
		return visibleRows(rows, { collapsed: this.collapsed, filter: this.filter, facts: rowFacts(this.#doc) });
	}

	/** Open an item in the detail pane; `focus` moves the keyboard there, as a click on "Open" should. */
	open(id: string | null, { focus = false } = {}): void {
		this.openId = id;
		this.#focusPane = focus && id !== null;
	}

	/** True once after `open(id, { focus: true })`: the pane takes focus when it appears. */
	takeFocusRequest(): boolean {
		const asked = this.#focusPane;
		this.#focusPane = false;
		return asked;
	}

	/**
	 * The row whose control should take focus, asked by the panel on close: the list scrolls it
	 * into view first (it may be outside the rendered window) and then focuses it.
	 */
	rowFocus = $state<{ id: string; focusKey: string } | null>(null);

	/** Give the keyboard back to a row (its Open button by default) once the list has it in view. */
	focusRow(id: string, focusKey = 'open'): void {
		this.rowFocus = { id, focusKey };
	}

	toggleCollapsed(id: string): void {
		if (!this.collapsed.delete(id)) this.collapsed.add(id);
	}

	clearFilter(): void {
		this.filter = { ...NO_FILTER };
	}
}

export const [getRoomUi, setRoomUi] = createContext<RoomUi>();
