import { createSubscriber } from 'svelte/reactivity';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { exportRoom, type RoomJson } from '$shared/exportJson';
import { localDatabaseName } from '../room/localDatabase';
import { defaultSyncUrl } from '../room/syncUrl';
import type { RoomLink } from '../rooms/links';
import { syncProtocols } from '$shared/wire/subprotocol';

/**
 * A read-only copy of a room for the printable view: this device's stored copy, kept up to
 * date from the relay. It shows no presence (the print tab is not a person in the room) and
 * never writes.
 */
export class PrintSource {
	readonly doc = new Y.Doc();
	loaded = $state(false);
	readonly #persistence: IndexeddbPersistence;
	readonly #provider: WebsocketProvider;
	readonly #subscribe: () => void;

	constructor(link: RoomLink) {
		this.#persistence = new IndexeddbPersistence(localDatabaseName(link), this.doc);
		this.#provider = new WebsocketProvider(defaultSyncUrl(), link.roomId, this.doc, { protocols: syncProtocols(link.key), disableBc: true });
		this.#provider.awareness.setLocalState(null);
		void this.#persistence.whenSynced.then(() => (this.loaded = true));
		this.#provider.once('sync', () => (this.loaded = true));
		this.#subscribe = createSubscriber((update) => {
			this.doc.on('update', update);
			return () => this.doc.off('update', update);
		});
	}

	/** The room as export data, read again whenever the document changes. */
	get room(): RoomJson {
		this.#subscribe();
		return exportRoom(this.doc);
	}

	destroy(): void {
		this.#provider.destroy();
		void this.#persistence.destroy();
		this.doc.destroy();
	}
}
