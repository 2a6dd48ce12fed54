import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { getItems } from '$shared/doc';
import { F, itemText } from '$shared/item';

/** An item in the trash, as the trash lists it. */
export interface TrashedItem {
	id: string;
	title: string;
	deletedAt: number;
}

/** The items in the trash, most recently deleted first, read from the document on each access. */
export class TrashView {
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			items.observeDeep(update);
			return () => items.unobserveDeep(update);
		});
	}

	get items(): TrashedItem[] {
		this.#subscribe();
		const out: TrashedItem[] = [];
		for (const [id, item] of getItems(this.#doc)) {
			const deletedAt = item.get(F.deletedAt);
			if (typeof deletedAt === 'number') out.push({ id, title: itemText(item, 'title').toString(), deletedAt });
		}
		return out.sort((a, b) => b.deletedAt - a.deletedAt || a.title.localeCompare(b.title));
	}
}
