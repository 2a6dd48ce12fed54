import * as Y from 'yjs';
import { getItems, getMeta, getRankLog, type ItemMap } from '../doc';
import { F } from '../item';
import { compareRanked, isRank } from '../rank';
import { loggedRanks } from '../rankLog';
import { readItemState, readRoomState, type ItemState, type RoomState } from './roomState';

/**
 * The open room's `RoomState`, kept up to date from the document's events: after the first read
 * only the items changed since are read again, so comparing the open room with versions (the
 * History panel, the unread marks) does not read a 2,000-item room each time. Must be
 * destroyed with the document's session.
 * @example const live = new LiveRoomState(session.doc); changesBetween(version, live.read())
 */
export class LiveRoomState {
	readonly #doc: Y.Doc;
	#items: Map<string, ItemState> | null = null;
	#order: string[] | null = null;
	readonly #dirty = new Set<string>();
	#ranksChanged = false;
	readonly #onItems = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		const items = getItems(this.#doc);
		for (const event of events) {
			// Items added, replaced or removed; else an edit inside one item, found by its path.
			if (event instanceof Y.YMapEvent && event.target === items) for (const id of event.keysChanged) this.#dirty.add(id);
			else if (typeof event.path[0] === 'string') this.#dirty.add(event.path[0]);
		}
		this.#order = null;
	};
	readonly #onRanks = () => {
		this.#ranksChanged = true;
		this.#order = null;
	};

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		getItems(doc).observeDeep(this.#onItems);
		getRankLog(doc).observe(this.#onRanks);
	}

	#rankOf(id: string, item: ItemMap): string {
		const raw = loggedRanks(this.#doc).get(id) ?? item.get(F.rank);
		return isRank(raw) ? raw : '';
	}

	/** The room as it is now (a fresh map and order each call; item states are shared and never changed). */
	read(): RoomState {
		const name = getMeta(this.#doc).get('name');
		if (this.#items === null) {
			const state = readRoomState(this.#doc);
			this.#items = state.items;
			this.#order = state.order;
			this.#dirty.clear();
			this.#ranksChanged = false;
		}
		const items = this.#items;
		const all = getItems(this.#doc);
		for (const id of this.#dirty) {
			const item = all.get(id);
			if (item instanceof Y.Map) items.set(id, readItemState(item, id, this.#rankOf(id, item)));
			else items.delete(id);
		}
		this.#dirty.clear();
		if (this.#ranksChanged) {
			for (const [id, state] of items) {
				const rank = this.#rankOf(id, all.get(id)!);
				if (rank !== state.rank) items.set(id, { ...state, rank });
			}
			this.#ranksChanged = false;
		}
		this.#order ??= [...items.values()]
			.filter((item) => item.deletedAt === null)
			.sort(compareRanked)
			.map((item) => item.id);
		return { name: typeof name === 'string' ? name : '', items: new Map(items), order: [...this.#order] };
	}

	destroy(): void {
		getItems(this.#doc).unobserveDeep(this.#onItems);
		getRankLog(this.#doc).unobserve(this.#onRanks);
	}
}
