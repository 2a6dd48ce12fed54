import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ConnectionState } from '../room/ConnectionState.svelte';
import { localDatabaseName } from '../room/localDatabase';
import { defaultSyncUrl } from '../room/syncUrl';
import type { RecentRoom } from '../rooms/RecentRooms.svelte';
import { parseRoomLink } from '../rooms/links';
import { countSubjects } from './PendingChanges';
import { SyncRecord } from './SyncRecord';

/** One room being synced in the background: its document, local copy, socket and count. */
interface Background {
	doc: Y.Doc;
	persistence: IndexeddbPersistence;
	provider: WebsocketProvider;
	connection: ConnectionState;
}

/**
 * Changes made in rooms the person has left that the relay has not confirmed, for the home page:
 * the count each room's `SyncRecord` kept (the same count its status line showed), and, for
 * edit links with something pending, a background connection that loads the room's copy from
 * IndexedDB and sends it, exactly as opening the room would. Once the relay holds everything
 * the connection closes and the count drops to nothing.
 */
export class UnsyncedRooms {
	readonly #open = new Map<string, Background>();
	/** Counts read from storage, by room id, for rooms not being synced right now. */
	#stored = $state<Record<string, number>>({});

	constructor(rooms: readonly RecentRoom[], syncUrl = defaultSyncUrl()) {
		const stored: Record<string, number> = {};
		for (const room of rooms) {
			const link = parseRoomLink(room.path);
			if (!link || link.access !== 'edit') continue;
			const record = new SyncRecord(localDatabaseName(link));
			const count = countSubjects(record.read().pending);
			if (count === 0) continue;
			stored[room.roomId] = count;
			this.#start(room.roomId, link.roomId, link.key, record, syncUrl);
		}
		this.#stored = stored;
	}

	/** Changes of a room not yet on the server (0 when none or unknown). */
	count(roomId: string): number {
		const open = this.#open.get(roomId);
		if (open) return open.connection.status === 'synced' ? 0 : open.connection.pending;
		return this.#stored[roomId] ?? 0;
	}

	#start(id: string, roomId: string, key: string, record: SyncRecord, syncUrl: string): void {
		const doc = new Y.Doc();
		const persistence = new IndexeddbPersistence(localDatabaseName({ roomId, key, access: 'edit' }), doc);
		const provider = new WebsocketProvider(syncUrl, roomId, doc, { params: { key }, connect: false });
		// Nothing is typed here: every pending change comes from the stored list.
		const connection = new ConnectionState(provider, doc, () => false, record);
		this.#open.set(id, { doc, persistence, provider, connection });
		// Connect only once the local copy is loaded, so the first sync sends all of it.
		void persistence.whenSynced.then(() => {
			if (this.#open.has(id)) provider.connect();
		});
	}

	/** Close every background connection (the home page is left), saving what each learnt. */
	destroy(): void {
		for (const { doc, persistence, provider, connection } of this.#open.values()) {
			connection.destroy();
			provider.destroy();
			void persistence.destroy();
			doc.destroy();
		}
		this.#open.clear();
	}
}
