import type { Access } from '../access/keys';
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
	/** It has sent presence before (its first presence message is its own announcement, later ones may echo others). */
	announced = false;
	closed = false;

	constructor(socket: RelaySocket, access: Access, address: string) {
		this.socket = socket;
		this.access = access;
		this.address = address;
	}

	/** Send one frame unless the connection is closing; true if sent (the room counts it). */
	send(frame: Uint8Array): boolean {
		if (this.closed) return false;
		this.socket.send(frame);
		return true;
	}

	/** Close with a code; later frames from this connection are ignored. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.socket.close(code, reason);
	}
}
