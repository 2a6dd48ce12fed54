import { createContext } from 'svelte';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { localOrigin, type LocalOrigin } from '$shared/origins';
import { syncProtocols } from '$shared/wire/subprotocol';
import { LocalCompaction } from '../offline/LocalCompaction';
import { Reconnector } from '../offline/Reconnector';
import { passRelayUpdatesAsSent } from '../offline/relayUpdatesAsSent';
import { SyncRecord } from '../offline/SyncRecord';
import type { RoomLink } from '../rooms/links';
import { BacklogView } from './BacklogView.svelte';
import { ConnectionState } from './ConnectionState.svelte';
import { DependencyView } from './DependencyView.svelte';
import { History } from './History.svelte';
import { EarlyOrNewSocket } from './earlySocket';
import { localDatabaseName } from './localDatabase';
import { MetaView } from './MetaView.svelte';
import { upgradeWhenSynced } from './schemaUpgrade';
import { defaultSyncUrl } from './syncUrl';
import { Presence, type PersonInfo } from './Presence.svelte';

/**
 * One person in one room: the Y.Doc, its IndexedDB copy, the WebSocket provider, awareness, the
 * person's undo history and the views the UI reads. The room route makes one, hands it down
 * with `setRoomSession`, and calls `destroy()` when the person leaves.
 *
 * Components read through the views and write with the writers in `shared/`, always passing
 * `session.origin`, so undo tracks exactly this person's changes.
 * @example createItem(session.doc, { title }, session.origin)
 */
export class RoomSession {
	readonly link: RoomLink;
	readonly doc = new Y.Doc();
	/** The one origin this session writes with (identity matters to the undo manager). */
	readonly origin: LocalOrigin;
	readonly persistence: IndexeddbPersistence;
	readonly compaction: LocalCompaction;
	readonly provider: WebsocketProvider;
	readonly reconnector: Reconnector;
	readonly connection: ConnectionState;
	readonly presence: Presence;
	readonly history: History;
	readonly backlog: BacklogView;
	readonly meta: MetaView;
	readonly dependencies: DependencyView;
	readonly #stopUpgrade: () => void;

	/**
	 * `fresh`: this device holds no copy of the room (its first visit), so the relay is asked to
	 * send the whole room at once rather than after this client's sync step 1 (FRESH_SUBPROTOCOL).
	 */
	constructor(link: RoomLink, person: PersonInfo, { syncUrl = defaultSyncUrl(), fresh = false }: { syncUrl?: string; fresh?: boolean } = {}) {
		this.link = link;
		this.origin = localOrigin(person.id);
		const databaseName = localDatabaseName(link);
		this.persistence = new IndexeddbPersistence(databaseName, this.doc);
		this.compaction = new LocalCompaction(this.persistence, this.doc);
		this.provider = new WebsocketProvider(syncUrl, link.roomId, this.doc, {
			// The key goes in the subprotocol header, not the URL that proxies log (docs/DEPLOY.md).
			protocols: syncProtocols(link.key, { fresh }),
			// Tabs of one browser would otherwise relay a viewer's refused writes to an editor's tab.
			disableBc: link.access === 'view',
			// The Reconnector connects, and reconnects with jitter instead of the provider's fixed backoff.
			connect: false,
			// The socket the app opened at start for this room (web/hooks.client.ts), if it is this one.
			WebSocketPolyfill: EarlyOrNewSocket
		});
		// A new device's whole room reaches IndexedDB as it arrived, not encoded again on the way to the first screen.
		passRelayUpdatesAsSent(this.provider, this.doc);
		// Once synced, this device has the room: a reconnection asks only for what it lacks.
		if (fresh) this.provider.once('sync', () => (this.provider.protocols = syncProtocols(link.key)));
		const arrived = new Set<unknown>([this.provider, this.persistence]);
		// A viewer's changes never reach the relay, so only edit sessions count pending changes.
		const record = link.access === 'edit' ? new SyncRecord(databaseName) : null;
		this.connection = new ConnectionState(this.provider, this.doc, (origin) => !arrived.has(origin), record);
		this.reconnector = new Reconnector(this.provider);
		this.presence = new Presence(this.provider.awareness, { viewer: link.access === 'view' });
		this.presence.setSelf(person);
		this.presence.setEditing(null);
		this.history = new History(this.doc, this.origin);
		// Until the relay's state is in, the initial load arrives in bursts: one list rebuild a frame.
		this.backlog = new BacklogView(this.doc, { loading: () => !this.provider.synced });
		this.meta = new MetaView(this.doc);
		this.dependencies = new DependencyView(this.doc);
		this.#stopUpgrade = upgradeWhenSynced(this.provider, this.doc, this.canEdit);
		this.reconnector.start();
	}

	/** True when this link may change the room; view-only sessions render read-only. */
	get canEdit(): boolean {
		return this.link.access === 'edit';
	}

	/** Resolves once this device's stored copy of the room is loaded. */
	get loaded(): Promise<unknown> {
		return this.persistence.whenSynced;
	}

	/** Leave the room: tell the others, close the socket, the database and the document. */
	destroy(): void {
		this.#stopUpgrade();
		this.reconnector.destroy();
		this.compaction.destroy();
		this.connection.destroy();
		this.history.destroy();
		this.provider.awareness.setLocalState(null);
		this.provider.destroy();
		void this.persistence.destroy();
		this.doc.destroy();
	}
}

/** The room session of the room being shown, set by the room route. */
export const [getRoomSession, setRoomSession] = createContext<RoomSession>();
