import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { getItems, getMeta } from '$shared/doc';
import { changeKey, transactionFacts } from '../offline/changeFacts';
import { PendingChanges } from '../offline/PendingChanges';
import { RelayCoverage } from '../offline/RelayCoverage';
import { tapRelay, type RelayMessage } from '../offline/relayTap';
import type { SyncRecord } from '../offline/SyncRecord';

/**
 * What the status line shows:
 * - `connecting`: the first connection attempt is under way;
 * - `syncing`: connected, and the relay does not yet hold everything this device has;
 * - `synced`: connected and the relay holds every change made here;
 * - `reconnecting`: the connection dropped and the browser is online, so it retries;
 * - `offline`: the browser says it has no network; changes are kept on the device;
 * - `closed`: the relay refused this link for good (wrong key, unknown room, ...): see `closeCode`.
 */
export type ConnectionStatus = 'connecting' | 'syncing' | 'synced' | 'reconnecting' | 'offline' | 'closed';

/** How often "last synced" is written to storage while it keeps moving (it is also written on leave). */
const SAVE_EVERY_MS = 5_000;

/**
 * The connection to the relay, from y-websocket's events, the browser's online flag and what the
 * relay sent. `pending` counts the local changes the relay has not confirmed: a change is
 * confirmed when the relay's known state covers it (see `RelayCoverage`), so the count is exact
 * rather than reset on reconnect. This is local UI state (not document data), so it lives in
 * `$state`; the pending list and "last synced" are kept in a `SyncRecord` across reloads.
 */
export class ConnectionState {
	#socket = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
	#synced = $state(false);
	#wasConnected = $state(false);
	#online = $state(true);
	#arrived = $state(false);
	/** The final close code from the relay, or null while it may still connect. */
	closeCode = $state<number | null>(null);
	/**
	 * Local changes the relay has not confirmed yet (made in this tab, or before a reload), as a
	 * person counts them: items changed plus room-level changes (see `PendingChanges`).
	 */
	pending = $state(0);
	/** The exact number of unconfirmed updates behind `pending` (one per keystroke), for the details. */
	pendingUpdates = $state(0);
	/** When the relay last held every change this device had (ms since the epoch), or null if never. */
	lastSyncedAt = $state<number | null>(null);
	readonly #coverage = new RelayCoverage();
	readonly #changes: PendingChanges;
	readonly #record: SyncRecord | null;
	/** Keys of changes confirmed since the last save, so the save drops them from the shared record. */
	readonly #confirmed = new Set<string>();
	#savedAt = 0;
	#saveTimer: ReturnType<typeof setTimeout> | null = null;
	readonly #cleanup: (() => void)[] = [];

	/**
	 * @param isLocal tells a change made on this device (typing, undo) from one that arrived
	 *   (from the relay or another tab, or loaded from IndexedDB).
	 * @param record where pending changes and "last synced" are kept; null keeps nothing (viewers,
	 *   whose changes the relay never takes).
	 */
	constructor(provider: WebsocketProvider, doc: Y.Doc, isLocal: (origin: unknown) => boolean, record: SyncRecord | null = null) {
		this.#online = typeof navigator === 'undefined' ? true : navigator.onLine;
		this.#record = record;
		const stored = record?.read() ?? { lastSyncedAt: null, pending: [] };
		this.#changes = new PendingChanges(stored.pending);
		this.pending = this.#changes.count;
		this.pendingUpdates = this.#changes.updates;
		this.lastSyncedAt = stored.lastSyncedAt;
		this.#arrived = hasArrived(doc);
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			this.#socket = status;
			if (status === 'connected') this.#wasConnected = true;
			if (status !== 'connected') this.#synced = false;
		};
		const onSync = (synced: boolean) => {
			this.#synced = synced;
			this.#noteSynced();
		};
		const onClosed = ({ code }: { code: number }) => {
			this.closeCode = code;
		};
		const onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
			if (!this.#arrived && hasArrived(doc)) this.#arrived = true;
			if (!record || !isLocal(origin)) return;
			this.#changes.add(transactionFacts(transaction));
			this.#changed();
		};
		provider.on('status', onStatus);
		provider.on('sync', onSync);
		provider.on('closed', onClosed);
		doc.on('update', onUpdate);
		const untap = tapRelay(provider, (message) => this.#fromRelay(message));
		this.#cleanup.push(
			() => provider.off('status', onStatus),
			() => provider.off('sync', onSync),
			() => provider.off('closed', onClosed),
			() => doc.off('update', onUpdate),
			untap
		);
		if (typeof window !== 'undefined') {
			const online = () => (this.#online = true);
			const offline = () => (this.#online = false);
			const leave = () => this.#save();
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			window.addEventListener('pagehide', leave);
			this.#cleanup.push(
				() => window.removeEventListener('online', online),
				() => window.removeEventListener('offline', offline),
				() => window.removeEventListener('pagehide', leave)
			);
		}
	}

	/**
	 * False while this device has nothing of the room, not even its name: a room made offline on
	 * another device that has not been online since. The relay then answers with an empty room,
	 * which is not "synced" but still on its way, so the status stays `syncing` and the page says so.
	 */
	get arrived(): boolean {
		return this.#arrived;
	}

	/** True when connected and in step with the relay, and the relay has no room to give yet. */
	get waitingForRoom(): boolean {
		return !this.#arrived && this.#socket === 'connected' && this.#synced;
	}

	get status(): ConnectionStatus {
		if (this.closeCode !== null) return 'closed';
		// First: an open socket can take a while to notice the network is gone.
		if (!this.#online) return 'offline';
		if (this.#socket === 'connected') return this.#synced && this.pendingUpdates === 0 && this.#arrived ? 'synced' : 'syncing';
		return this.#wasConnected ? 'reconnecting' : 'connecting';
	}

	#fromRelay(message: RelayMessage): void {
		if (message.kind === 'step1') this.#coverage.setStateVector(Y.decodeStateVector(message.stateVector));
		// With nothing pending there is nothing to confirm: skip parsing (a room's first sync can be large).
		else if (this.#changes.updates > 0) this.#coverage.learn(message.update, this.#changes.waitsForDeletes);
		const confirmed = this.#changes.updates > 0 ? this.#changes.settle(this.#coverage) : [];
		if (confirmed.length > 0) {
			for (const change of confirmed) this.#confirmed.add(changeKey(change));
			if (!this.#changes.waitsForDeletes) this.#coverage.forgetDeletes();
			this.#changed();
		}
		this.#noteSynced();
	}

	/** In step with the relay and nothing pending: that moment is "last synced". */
	#noteSynced(): void {
		if (!this.#synced || this.#changes.updates > 0 || !this.#record) return;
		this.lastSyncedAt = Date.now();
		if (this.lastSyncedAt - this.#savedAt > SAVE_EVERY_MS) this.#save();
	}

	#changed(): void {
		this.pending = this.#changes.count;
		this.pendingUpdates = this.#changes.updates;
		// Several changes a second while typing: one write for them, soon after.
		if (this.#saveTimer === null) this.#saveTimer = setTimeout(() => this.#save(), 300);
	}

	#save(): void {
		if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
		this.#saveTimer = null;
		if (!this.#record) return;
		this.#savedAt = Date.now();
		this.#record.save(this.lastSyncedAt, this.#changes.list(), (change) => this.#confirmed.has(changeKey(change)) || this.#coverage.covers(change));
		this.#confirmed.clear();
	}

	destroy(): void {
		this.#save();
		for (const undo of this.#cleanup.splice(0)) undo();
	}
}

/** True once the document holds anything of a room: its meta (set when it was made) or an item. */
function hasArrived(doc: Y.Doc): boolean {
	const meta = getMeta(doc);
	return meta.has('schemaVersion') || meta.has('name') || getItems(doc).size > 0;
}
