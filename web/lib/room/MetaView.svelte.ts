import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { getMeta } from '$shared/doc';
import { readMeta, type RoomMeta } from '$shared/meta';

/** The room's meta (name, deck, settings), read through a subscriber; nothing is copied. */
export class MetaView {
	readonly #doc: Y.Doc;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#subscribe = createSubscriber((update) => {
			const meta = getMeta(doc);
			meta.observe(update);
			return () => meta.unobserve(update);
		});
	}

	get meta(): RoomMeta {
		this.#subscribe();
		return readMeta(this.#doc);
	}

	/** The room name, '' until the document has loaded. */
	get name(): string {
		return this.meta.name;
	}
}
