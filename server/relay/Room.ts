import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { RoomStore } from '../persistence/RoomStore';
import { CloseCode } from './closeCodes';
import { Connection } from './Connection';
import { MalformedMessageError, decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol';

export interface RoomOptions {
	store: RoomStore;
	metrics: RelayMetrics;
	logger: Logger;
	maxDocBytes: number;
	/** Fold the update log into a snapshot after this many updates… */
	compactAfterUpdates: number;
	/** …or this many bytes of updates, whichever comes first. */
	compactAfterBytes: number;
	/** Called when the last connection leaves. */
	onIdle: (room: Room) => void;
}

type RoomState = 'loading' | 'open' | 'failed' | 'unloading' | 'unloaded';

/** One step of the room's work; returns a promise only when it has to wait (loading, a store that is not synchronous). */
type Task = () => void | Promise<void>;

/** Origin of the transaction that loads stored state, so the load is not stored again. */
const LOAD_ORIGIN = Symbol('load');

/**
 * One room in memory: its document, its presence and its connections. Every incoming message
 * goes through one queue per room, which gives three guarantees at once: nothing is answered
 * before stored state is loaded, an update is stored before it is broadcast, and broadcasts
 * leave in the order the document changed. The queue is a plain array, used only while a task
 * is in progress: once the room is loaded and the store is synchronous, a message runs to the
 * end at once (decode and check, apply, store, broadcast) without a promise or an event-loop hop.
 */
export class Room {
	readonly id: string;
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
	state: RoomState = 'loading';
	readonly #options: RoomOptions;
	readonly #log: Logger;
	/** A task is in progress (possibly waiting on a promise); new tasks wait in #waiting. */
	#busy = false;
	readonly #waiting: Task[] = [];
	/** Updates the document emitted while applying the current message. */
	#fresh: Uint8Array[] = [];
	#size = 0;
	#updatesSinceSnapshot = 0;
	#bytesSinceSnapshot = 0;
	/** The document holds changes the store may not have (a write failed). */
	#dirty = false;
	#compactionQueued = false;

	constructor(id: string, options: RoomOptions) {
		this.id = id;
		this.#options = options;
		this.#log = options.logger.child({ room: id });
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== LOAD_ORIGIN) this.#fresh.push(update);
		});
		this.awareness.on('update', this.#onAwareness);
		this.#run(() => this.#load());
	}

	/** Bytes of stored state (an upper bound between compactions). */
	get size(): number {
		return this.#size;
	}

	/** Add a connection; it gets sync step 1 and current presence once the room is loaded. */
	join(connection: Connection): void {
		this.connections.add(connection);
		this.#runFor(connection, () => {
			this.#send(connection, encodeSyncStep1(this.doc));
			const clients = [...this.awareness.getStates().keys()];
			if (clients.length > 0) this.#send(connection, encodeAwareness(this.awareness, clients));
		});
	}

	/** Remove a connection and, at once, the presence it controlled. */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		if (connection.awarenessClients.size > 0 && this.state !== 'unloaded') {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClients], null);
		}
		if (this.connections.size === 0) this.#options.onIdle(this);
	}

	/** Handle one frame from a connection of this room. */
	receive(connection: Connection, frame: Uint8Array): void {
		this.#runFor(connection, () => this.#handle(connection, frame));
	}

	/**
	 * Final flush and release: fold the log into a snapshot, record activity, free the doc.
	 * Returns false (and stays loaded) if the flush failed, so nothing is lost.
	 */
	async unload(): Promise<boolean> {
		this.state = 'unloading';
		const flushed = await new Promise<boolean>((resolve) => this.#run(() => this.flush().then(resolve)));
		if (!flushed || this.connections.size > 0) {
			this.state = 'open';
			return false;
		}
		this.state = 'unloaded';
		this.awareness.destroy();
		this.doc.destroy();
		return true;
	}

	/** Write a snapshot if anything was logged since the last one; true when the store is up to date. */
	async flush(): Promise<boolean> {
		if (this.state === 'failed' || this.state === 'unloaded') return true;
		try {
			if (this.#updatesSinceSnapshot > 0 || this.#dirty) await this.#compact();
			await this.#options.store.touchRoom(this.id, Date.now(), this.#size);
			return true;
		} catch (error) {
			this.#options.metrics.persistenceErrors.inc();
			this.#log.error({ err: error }, 'flush failed; room stays in memory');
			return false;
		}
	}

	async #load(): Promise<void> {
		const started = performance.now();
		try {
			const stored = await this.#options.store.loadState(this.id);
			this.doc.transact(() => {
				for (const update of stored) Y.applyUpdate(this.doc, update);
			}, LOAD_ORIGIN);
			this.#size = stored.reduce((sum, update) => sum + update.byteLength, 0);
			// A log of more than one entry is folded at the next opportunity.
			this.#updatesSinceSnapshot = Math.max(0, stored.length - 1);
			this.state = 'open';
			this.#log.info({ bytes: this.#size, ms: Math.round(performance.now() - started) }, 'room loaded');
		} catch (error) {
			this.state = 'failed';
			this.#log.error({ err: error }, 'room failed to load');
			for (const connection of this.connections) connection.close(CloseCode.internalError, 'room failed to load');
		}
	}

	/** Run `task` now if the room is idle, else after the tasks before it. */
	#run(task: Task): void {
		if (this.#busy) {
			this.#waiting.push(task);
			return;
		}
		this.#busy = true;
		this.#drain(task);
	}

	/** Run tasks in order, synchronously until one returns a promise; continue when it settles. */
	#drain(task: Task | undefined): void {
		while (task) {
			let pending: void | Promise<void> = undefined;
			try {
				pending = task();
			} catch (error) {
				// Tasks handle their own errors; this only keeps the queue going if one does not.
				this.#log.error({ err: error }, 'room task failed');
			}
			if (pending) {
				pending
					.catch((error: unknown) => this.#log.error({ err: error }, 'room task failed'))
					.then(() => this.#drain(this.#waiting.shift()));
				return;
			}
			task = this.#waiting.shift();
		}
		this.#busy = false;
	}

	/** Queue work for a connection: skipped once it closed, and any error closes it (4400). */
	#runFor(connection: Connection, task: Task): void {
		this.#run(() => {
			if (connection.closed || this.state === 'failed' || this.state === 'unloaded') return;
			try {
				const pending = task();
				if (pending) return pending.catch((error: unknown) => this.#reject(connection, error));
			} catch (error) {
				this.#reject(connection, error);
			}
		});
	}

	#reject(connection: Connection, error: unknown): void {
		const malformed = error instanceof MalformedMessageError;
		this.#log.warn({ connection: connection.id, address: connection.address, err: error }, malformed ? 'malformed message' : 'message failed');
		this.#options.metrics.rejectedConnections.inc({ reason: 'malformed_message' });
		connection.close(CloseCode.malformedMessage, 'malformed message');
	}

	/** Send to one connection, counted. */
	#send(connection: Connection, frame: Uint8Array): void {
		if (!connection.send(frame)) return;
		this.#options.metrics.messagesOut.inc();
		this.#options.metrics.bytesOut.inc(frame.byteLength);
	}

	/** Send to every connection of the room, counted once per frame rather than per recipient (cheaper under fan-out). */
	#broadcast(frame: Uint8Array): void {
		let sent = 0;
		for (const peer of this.connections) if (peer.send(frame)) sent++;
		if (sent === 0) return;
		this.#options.metrics.messagesOut.inc(sent);
		this.#options.metrics.bytesOut.inc(sent * frame.byteLength);
	}

	#handle(connection: Connection, frame: Uint8Array): void | Promise<void> {
		// Decoding checks the whole frame, updates included (Y.decodeUpdate reads every struct
		// and the delete set), so a malformed one is rejected before it touches the document.
		const message = decodeMessage(frame);
		switch (message.kind) {
			case 'syncStep1':
				this.#send(connection, encodeSyncStep2(this.doc, message.stateVector));
				return;
			case 'syncStep2':
			case 'update':
				if (connection.access === 'view') {
					this.#options.metrics.droppedViewerUpdates.inc();
					return;
				}
				return this.#applyUpdate(connection, message.update);
			case 'awareness':
				awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection);
				return;
			case 'queryAwareness':
				this.#send(connection, encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
				return;
			case 'auth':
				return;
		}
	}

	#applyUpdate(connection: Connection, update: Uint8Array): void | Promise<void> {
		const { metrics, maxDocBytes } = this.#options;
		// Updates waiting for missing dependencies live only in memory; they count too, or a
		// client could grow memory without bound by sending updates that never integrate.
		const pending = (this.doc.store.pendingStructs?.update.byteLength ?? 0) + (this.doc.store.pendingDs?.byteLength ?? 0);
		if (this.#size + pending + update.byteLength > maxDocBytes) {
			this.#log.warn({ connection: connection.id, address: connection.address, size: this.#size, pending, update: update.byteLength }, 'document too large');
			metrics.rejectedConnections.inc({ reason: 'document_too_large' });
			connection.close(CloseCode.documentTooLarge, 'document too large');
			return;
		}
		const started = performance.now();
		try {
			Y.applyUpdate(this.doc, update, connection);
		} catch (error) {
			// Not expected once the update decoded; if it happens anyway, whatever integrated
			// before the failure is in the document, so it is still stored and sent below.
			this.#reject(connection, new MalformedMessageError(`update failed to apply: ${error instanceof Error ? error.message : String(error)}`));
		}
		metrics.updateApplySeconds.observe((performance.now() - started) / 1000);
		const fresh = this.#fresh;
		this.#fresh = [];
		return this.#storeAndBroadcast(connection, fresh, 0);
	}

	/** Store each change, then broadcast it; waits only if the store returns a promise. */
	#storeAndBroadcast(connection: Connection, changes: Uint8Array[], from: number): void | Promise<void> {
		for (let i = from; i < changes.length; i++) {
			const stored = this.#persist(connection, changes[i]);
			if (stored instanceof Promise) {
				return stored.then((ok) => {
					if (!ok) return;
					this.#broadcast(encodeUpdate(changes[i]));
					return this.#storeAndBroadcast(connection, changes, i + 1);
				});
			}
			if (!stored) return;
			this.#broadcast(encodeUpdate(changes[i]));
		}
	}

	/** Append one change to the store; false (sender closed with 1011) if that failed. */
	#persist(connection: Connection, update: Uint8Array): boolean | Promise<boolean> {
		const started = performance.now();
		let appended: void | Promise<void>;
		try {
			appended = this.#options.store.appendUpdate(this.id, update);
		} catch (error) {
			return this.#persistFailed(connection, error);
		}
		if (appended) {
			return appended.then(
				() => this.#persisted(update, started),
				(error: unknown) => this.#persistFailed(connection, error)
			);
		}
		return this.#persisted(update, started);
	}

	#persisted(update: Uint8Array, started: number): true {
		this.#options.metrics.persistenceWriteSeconds.observe({ op: 'append' }, (performance.now() - started) / 1000);
		this.#size += update.byteLength;
		this.#updatesSinceSnapshot += 1;
		this.#bytesSinceSnapshot += update.byteLength;
		if (
			!this.#compactionQueued &&
			(this.#updatesSinceSnapshot >= this.#options.compactAfterUpdates || this.#bytesSinceSnapshot >= this.#options.compactAfterBytes)
		) {
			// Queued, not run here: a snapshot must not slip between this change's store and its broadcast.
			this.#compactionQueued = true;
			this.#run(async () => {
				this.#compactionQueued = false;
				if (this.state === 'open') await this.flush();
			});
		}
		return true;
	}

	#persistFailed(connection: Connection, error: unknown): false {
		// The doc keeps the change (a later snapshot stores it); the sender reconnects and resends.
		this.#dirty = true;
		this.#options.metrics.persistenceErrors.inc();
		this.#log.error({ err: error, connection: connection.id }, 'could not store update');
		connection.close(CloseCode.internalError, 'could not store update');
		return false;
	}

	async #compact(): Promise<void> {
		const started = performance.now();
		const state = Y.encodeStateAsUpdate(this.doc);
		await this.#options.store.saveSnapshot(this.id, state, Date.now());
		this.#options.metrics.persistenceWriteSeconds.observe({ op: 'snapshot' }, (performance.now() - started) / 1000);
		this.#log.debug({ logged: this.#updatesSinceSnapshot, bytes: state.byteLength }, 'compacted');
		this.#size = state.byteLength;
		this.#updatesSinceSnapshot = 0;
		this.#bytesSinceSnapshot = 0;
		this.#dirty = false;
	}

	#onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
		if (origin instanceof Connection) {
			for (const client of added) origin.awarenessClients.add(client);
			for (const client of removed) origin.awarenessClients.delete(client);
		}
		this.#broadcast(encodeAwareness(this.awareness, [...added, ...updated, ...removed]));
	};
}
