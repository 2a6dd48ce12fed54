import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { readCriteria, type Criterion } from '$shared/criteria';
import { getItems } from '$shared/doc';
import { itemText } from '$shared/item';

/**
 * The item on the poker table as everyone reads it: title, description and acceptance criteria,
 * read from the document through a subscriber (nothing copied), so edits show as they happen.
 */
export class TableItem {
	readonly #doc: Y.Doc;
	readonly #id: string;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc, id: string) {
		this.#doc = doc;
		this.#id = id;
		this.#subscribe = createSubscriber((update) => {
			const items = getItems(doc);
			items.observeDeep(update);
			return () => items.unobserveDeep(update);
		});
	}

	#item(): Y.Map<unknown> | undefined {
		this.#subscribe();
		return getItems(this.#doc).get(this.#id);
	}

	get title(): string {
		const item = this.#item();
		return item ? itemText(item, 'title').toString() : '';
	}

	get description(): string {
		const item = this.#item();
		return item ? itemText(item, 'description').toString() : '';
	}

	get criteria(): Criterion[] {
		const item = this.#item();
		return item ? readCriteria(item) : [];
	}
}
