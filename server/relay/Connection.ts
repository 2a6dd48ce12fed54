import type { Access } from '../access/keys';
import type { RelayMetrics } from '../metrics';
import type { RelaySocket } from './RelaySocket';

let nextId = 1;

/** One client of one room: its socket, its access, and the awareness clients it controls. */
export class Connection {
	readonly id = nextId++;
	readonly socket: RelaySocket;
	readonly access: Access;
	readonly address: string;
	/** Awareness client ids this connection introduced; removed the moment it closes. */
	readonly awarenessClients = new Set<number>();
	closed = false;
	readonly #metrics: RelayMetrics;

	constructor(socket: RelaySocket, access: Access, address: string, metrics: RelayMetrics) {
		this.socket = socket;
		this.access = access;
		this.address = address;
		this.#metrics = metrics;
	}

	/** Send one frame unless the connection is closing. */
	send(frame: Uint8Array): void {
		if (this.closed) return;
		this.#metrics.messagesOut.inc();
		this.#metrics.bytesOut.inc(frame.byteLength);
		this.socket.send(frame);
	}

	/** Close with a code; later frames from this connection are ignored. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.socket.close(code, reason);
	}
}
