import type { WebsocketProvider } from 'y-websocket';
import { DEFAULT_BACKOFF, onlineDelay, reconnectDelay, type BackoffOptions } from './reconnectDelay';

/**
 * Takes the provider's reconnects over: y-websocket 3 retries after `2^n × 100 ms` with no
 * jitter, so every client of a restarted relay comes back in the same few milliseconds. Here a
 * dropped connection is retried on `reconnectDelay` (exponential, with jitter); while the browser
 * says it is offline nothing is tried, and coming back online retries after a short random wait.
 *
 * The provider must be made with `connect: false`; `start()` connects it. Tabs of the same room
 * keep syncing over BroadcastChannel while the socket is down.
 */
export class Reconnector {
	readonly #provider: WebsocketProvider;
	readonly #random: () => number;
	readonly #backoff: BackoffOptions;
	#attempt = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#stopped = false;
	/** The relay refused this link for good (44xx): nothing brings it back, not even the network. */
	#refused = false;
	readonly #cleanup: (() => void)[] = [];

	constructor(provider: WebsocketProvider, { random = Math.random, backoff = DEFAULT_BACKOFF }: { random?: () => number; backoff?: BackoffOptions } = {}) {
		this.#provider = provider;
		this.#random = random;
		this.#backoff = backoff;
		const onClose = (event: CloseEvent | null) => this.#onClose(event);
		const onSync = (synced: boolean) => {
			if (synced) this.#attempt = 0;
		};
		const onClosed = () => (this.#refused = true);
		provider.on('connection-close', onClose);
		provider.on('sync', onSync);
		provider.on('closed', onClosed);
		this.#cleanup.push(
			() => provider.off('connection-close', onClose),
			() => provider.off('sync', onSync),
			() => provider.off('closed', onClosed)
		);
		if (typeof window !== 'undefined') {
			const online = () => this.#schedule(onlineDelay(this.#random, this.#backoff));
			const offline = () => this.#goOffline();
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			this.#cleanup.push(
				() => window.removeEventListener('online', online),
				() => window.removeEventListener('offline', offline)
			);
		}
	}

	/** Connect now when online; otherwise sync with the other tabs only, until the network is back. */
	start(): void {
		if (isOnline()) this.#provider.connect();
		else this.#provider.connectBc();
	}

	#onClose(event: CloseEvent | null): void {
		const provider = this.#provider;
		// Closed on purpose (disconnect, destroy), or for good by the relay (a 44xx code): no retry.
		if (this.#stopped || !provider.shouldConnect) return;
		if (event && !provider.shouldReconnect(event, provider)) return;
		// Cancels the provider's own timer: its setupWS does nothing while shouldConnect is false.
		provider.shouldConnect = false;
		this.#schedule(reconnectDelay(this.#attempt++, this.#random, this.#backoff));
	}

	#schedule(ms: number): void {
		if (this.#stopped || this.#refused) return;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			this.#timer = null;
			// Still offline: the `online` event schedules the next try.
			if (!this.#stopped && !this.#refused && isOnline()) this.#provider.connect();
		}, ms);
	}

	/**
	 * The browser lost the network: an open socket can linger for a long time before it notices,
	 * so close it now (changes stay on the device and go out on reconnect) and keep the tabs'
	 * channel open.
	 */
	#goOffline(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		const provider = this.#provider;
		if (!provider.shouldConnect && provider.ws === null) return;
		provider.disconnect();
		provider.connectBc();
	}

	destroy(): void {
		this.#stopped = true;
		if (this.#timer !== null) clearTimeout(this.#timer);
		for (const undo of this.#cleanup.splice(0)) undo();
	}
}

function isOnline(): boolean {
	return typeof navigator === 'undefined' || navigator.onLine !== false;
}
