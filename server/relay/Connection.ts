import type { Access } from '../access/keys';
import { CloseCode } from './closeCodes';
import type { RelaySocket } from './RelaySocket';
import type { SendBudget } from './SendBudget';
import type { UpdateSummary } from './updateScan';

let nextId = 1;

/** Unread bytes from which a connection counts as a slow reader when the relay's send budget is spent. */
const SLOW_READER_BYTES = 64 * 1024;

/** An update that waits for structs the room does not hold yet. */
export interface PendingUpdate {
	update: Uint8Array;
	summary: UpdateSummary;
}

/**
 * One client of one room: its socket, its access, and the updates it sent that wait for their
 * dependencies (kept with the connection, counted against it alone, dropped when it closes).
 */
export class Connection {
	readonly id = nextId++;
	readonly socket: RelaySocket;
	readonly access: Access;
	readonly address: string;
	/** Bytes queued on the socket past which the connection is dropped (it does not read). */
	readonly maxQueuedBytes: number;
	closed = false;
	/** The client has no copy of the room (it offered `fresh`): it gets the whole room when it joins. */
	fresh = false;
	/**
	 * The state vector of the whole room sent to a fresh client, until its own sync step 1 comes:
	 * that is answered from here (the client has, or is about to have, all of it), not with the
	 * whole room a second time.
	 */
	sentStateVector: Uint8Array | null = null;
	/** The relay's budget for all connections' queues together (null: none). */
	sendBudget: SendBudget | null = null;
	/** Bytes of the one frame over `maxQueuedBytes` let through while it is unread (a big room's sync answer). */
	#bigFrame = 0;
	#pending: PendingUpdate[] = [];
	#pendingBytes = 0;

	constructor(socket: RelaySocket, access: Access, address: string, maxQueuedBytes = Infinity) {
		this.socket = socket;
		this.access = access;
		this.address = address;
		this.maxQueuedBytes = maxQueuedBytes;
	}

	/**
	 * Send one frame unless the connection is closing; true if sent (the room counts it). A peer
	 * that has more than `maxQueuedBytes` unread is dropped: its queue is relay memory. One frame
	 * bigger than that (the whole room in a sync answer, a big update) is let through on top, and
	 * is not held against the frames that follow it until it has been read: without that, the
	 * presence echoed right after a 45 MiB sync answer dropped every fresh client of the room, for
	 * good (it reconnected into the same answer). So a connection holds at most `maxQueuedBytes`
	 * and two frames. `wire` is the same message framed for the wire (`binaryFrame`, one for all of
	 * a broadcast's recipients), written as it is when the socket can.
	 */
	send(frame: Uint8Array, wire?: Buffer): boolean {
		if (this.closed) return false;
		const queued = this.socket.bufferedAmount;
		if (queued <= this.maxQueuedBytes) this.#bigFrame = 0;
		// When the relay's queues together are over budget, the connections that hold unread bytes
		// of their own (beyond a big sync answer let through) go; one that keeps up is never blamed.
		const overBudget = this.sendBudget !== null && !this.sendBudget.charge(frame.byteLength) && queued - this.#bigFrame >= SLOW_READER_BYTES;
		if (queued > this.maxQueuedBytes + this.#bigFrame || overBudget) {
			this.closed = true;
			this.socket.close(CloseCode.tooSlow, overBudget ? 'not reading (relay send budget)' : 'not reading');
			this.socket.terminate();
			this.onSlow?.();
			return false;
		}
		if (this.#bigFrame === 0 && queued + frame.byteLength > this.maxQueuedBytes) this.#bigFrame = frame.byteLength;
		if (wire && this.socket.sendFramed) this.socket.sendFramed(wire);
		else this.socket.send(frame);
		return true;
	}

	/** Told when the connection is dropped for not reading (metrics, log). */
	onSlow?: () => void;

	/** Close with a code; later frames from this connection are ignored. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.socket.close(code, reason);
	}

	get pendingBytes(): number {
		return this.#pendingBytes;
	}

	get hasPending(): boolean {
		return this.#pending.length > 0;
	}

	/** Keep an update until its dependencies arrive; false if that would pass `maxBytes`. */
	holdPending(update: Uint8Array, summary: UpdateSummary, maxBytes: number): boolean {
		if (this.#pendingBytes + update.byteLength > maxBytes) return false;
		this.#pending.push({ update, summary });
		this.#pendingBytes += update.byteLength;
		return true;
	}

	/** Take, in order, the waiting updates that `ready` accepts. */
	takeReady(ready: (summary: UpdateSummary) => boolean): PendingUpdate[] {
		const taken: PendingUpdate[] = [];
		const kept: PendingUpdate[] = [];
		for (const entry of this.#pending) (ready(entry.summary) ? taken : kept).push(entry);
		this.#pending = kept;
		this.#pendingBytes = kept.reduce((sum, entry) => sum + entry.update.byteLength, 0);
		return taken;
	}

	/** Forget waiting updates (the connection closed: the client sends them again when it reconnects). */
	dropPending(): void {
		this.#pending = [];
		this.#pendingBytes = 0;
	}
}
