import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/**
 * What the status line shows:
 * - `connecting`: the first connection attempt is under way;
 * - `syncing`: connected, the first exchange with the relay is not done yet;
 * - `synced`: connected and in step with the relay;
 * - `reconnecting`: the connection dropped and the browser is online, so it retries;
 * - `offline`: the browser says it has no network; changes are kept on the device;
 * - `closed`: the relay refused this link for good (wrong key, unknown room, ...): see `closeCode`.
 */
export type ConnectionStatus = 'connecting' | 'syncing' | 'synced' | 'reconnecting' | 'offline' | 'closed';

/**
 * The connection to the relay, from y-websocket's events and the browser's online flag. This is
 * local UI state (not document data), so it lives in `$state`.
 */
export class ConnectionState {
	#socket = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
	#synced = $state(false);
	#wasConnected = $state(false);
	#online = $state(true);
	/** The final close code from the relay, or null while it may still connect. */
	closeCode = $state<number | null>(null);
	/**
	 * Changes made on this device while not in step with the relay. y-websocket has no
	 * acknowledgements, so this counts local changes made since the last sync and goes back to
	 * zero when the next sync completes, by which point the client has sent them again.
	 */
	pending = $state(0);
	readonly #cleanup: (() => void)[] = [];

	/**
	 * @param isLocal tells a change made on this device (typing, undo) from one that arrived
	 *   (from the relay, or loaded from IndexedDB).
	 */
	constructor(provider: WebsocketProvider, doc: Y.Doc, isLocal: (origin: unknown) => boolean) {
		this.#online = typeof navigator === 'undefined' ? true : navigator.onLine;
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			this.#socket = status;
			if (status === 'connected') this.#wasConnected = true;
			if (status !== 'connected') this.#synced = false;
		};
		const onSync = (synced: boolean) => {
			this.#synced = synced;
			if (synced) this.pending = 0;
		};
		const onClosed = ({ code }: { code: number }) => {
			this.closeCode = code;
		};
		const onUpdate = (_update: Uint8Array, origin: unknown) => {
			if (isLocal(origin) && this.status !== 'synced') this.pending++;
		};
		provider.on('status', onStatus);
		provider.on('sync', onSync);
		provider.on('closed', onClosed);
		doc.on('update', onUpdate);
		this.#cleanup.push(
			() => provider.off('status', onStatus),
			() => provider.off('sync', onSync),
			() => provider.off('closed', onClosed),
			() => doc.off('update', onUpdate)
		);
		if (typeof window !== 'undefined') {
			const online = () => (this.#online = true);
			const offline = () => (this.#online = false);
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			this.#cleanup.push(
				() => window.removeEventListener('online', online),
				() => window.removeEventListener('offline', offline)
			);
		}
	}

	get status(): ConnectionStatus {
		if (this.closeCode !== null) return 'closed';
		// First: an open socket can take a while to notice the network is gone.
		if (!this.#online) return 'offline';
		if (this.#socket === 'connected') return this.#synced ? 'synced' : 'syncing';
		return this.#wasConnected ? 'reconnecting' : 'connecting';
	}

	destroy(): void {
		for (const undo of this.#cleanup.splice(0)) undo();
	}
}
