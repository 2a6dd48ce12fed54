import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { RoomStore } from '../persistence/RoomStore';
import { BEFORE_ALL, compareIds } from '../redis/streamIds';
import { CloseCode } from './closeCodes';
import { Connection } from './Connection';
import { MalformedMessageError, decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol';
import type { LogEntry, RoomFeed, RoomFeedHandlers, SharedRooms } from './RoomShare';
import { encodeRemoval, staleAnnouncement } from './presence';

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
	/** Several relays serve the room (REDIS_URL): its log, presence and compaction are shared. */
	shared?: SharedRooms;
}

type RoomState = 'loading' | 'open' | 'failed' | 'unloading' | 'unloaded';

/** One step of the room's work; returns a promise only when it has to wait (loading, a store that is not synchronous). */
type Task = () => void | Promise<void>;

/** Origin of the transaction that loads stored state, so the load is not stored again. */
const LOAD_ORIGIN = Symbol('load');
/** Origin of updates from the shared log (another relay stored them): broadcast, not stored. */
const SHARED_ORIGIN = Symbol('shared');
/** Origin of presence removed because its connection closed. */
const LEAVE_ORIGIN = Symbol('leave');
/** Origin of presence that another relay's connections brought. */
class RelayOrigin {
	constructor(readonly relay: string) {}
}
/** Wait before reloading a room whose document has updates waiting for missing ones (they usually arrive first). */
const PENDING_RESYNC_MS = 500;
/** Wait before trying a failed resynchronisation again (Redis away). */
const RETRY_RESYNC_MS = 1000;
/** Metric labels of an append, allocated once (one observation per update). */
const APPEND_LABELS = { op: 'append' } as const;

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
	/** Shared mode: this room's link to the other relays. */
	#feed: RoomFeed | null = null;
	/** Shared mode: the last log entry the document holds. */
	#through = BEFORE_ALL;
	/** Shared mode: the feed's epoch when the document last caught up with the whole log. */
	#syncedEpoch = 0;
	#resyncQueued = false;
	#resyncTimer: NodeJS.Timeout | null = null;
	/** Presence states other relays brought, each with the relay it came from. */
	readonly #remoteClients = new Map<number, string>();

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
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClients], LEAVE_ORIGIN);
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
		if (this.#resyncTimer) clearTimeout(this.#resyncTimer);
		await this.#feed?.close();
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
			const { shared } = this.#options;
			let stored: Uint8Array[];
			if (shared) {
				const opened = await shared.open(this.id, this.#feedHandlers());
				stored = opened.state;
				this.#through = opened.through;
				this.#syncedEpoch = opened.epoch;
				this.#feed = opened.feed;
			} else {
				stored = await this.#options.store.loadState(this.id);
			}
			this.doc.transact(() => {
				for (const update of stored) Y.applyUpdate(this.doc, update);
			}, LOAD_ORIGIN);
			this.#size = stored.reduce((sum, update) => sum + update.byteLength, 0);
			// A log of more than one entry is folded at the next opportunity.
			this.#updatesSinceSnapshot = Math.max(0, stored.length - 1);
			this.state = 'open';
			this.#feed?.queryPresence();
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

	/**
	 * Send to every connection of the room, counted once per frame rather than per recipient
	 * (cheaper under fan-out). The frame is wrapped as a Buffer once: `ws` would otherwise wrap
	 * a plain Uint8Array again for every recipient.
	 */
	#broadcast(frame: Uint8Array): void {
		if (this.connections.size === 0) return;
		const shared = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
		let sent = 0;
		for (const peer of this.connections) if (peer.send(shared)) sent++;
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
			case 'awareness': {
				awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection);
				// A client announcing itself with a clock this room has already seen (it reconnected, here
				// or from a relay that died) is ignored by every peer. Telling it its state was removed at
				// that clock makes it re-announce with a newer one, as y-protocols does on seeing its own
				// state removed; the newer state then reaches everyone, through this relay. Only the first
				// presence message of a connection is its own announcement (stock clients echo others' later).
				if (!connection.announced) {
					connection.announced = true;
					const stale = staleAnnouncement(this.awareness, message.update, this.connections);
					if (stale) this.#send(connection, encodeRemoval(...stale));
				}
				return;
			}
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
		this.#options.metrics.persistenceWriteSeconds.observe(APPEND_LABELS, (performance.now() - started) / 1000);
		this.#count(update.byteLength);
		return true;
	}

	/** Count one logged update towards the next compaction. */
	#count(bytes: number): void {
		this.#size += bytes;
		this.#updatesSinceSnapshot += 1;
		this.#bytesSinceSnapshot += bytes;
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
	}

	#persistFailed(connection: Connection, error: unknown): false {
		// The doc keeps the change (a later snapshot stores it); the sender reconnects and resends.
		this.#dirty = true;
		this.#options.metrics.persistenceErrors.inc();
		this.#log.error({ err: error, connection: connection.id }, 'could not store update');
		connection.close(CloseCode.internalError, 'could not store update');
		// Shared mode: append what the log lacks as soon as the store is back.
		this.#queueResync(RETRY_RESYNC_MS);
		return false;
	}

	async #compact(): Promise<void> {
		if (this.#feed) return this.#compactShared(this.#feed);
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
			// A client that came through another relay and now speaks through this one is ours.
			for (const client of [...added, ...updated]) {
				if (this.#remoteClients.delete(client)) origin.awarenessClients.add(client);
			}
		} else if (origin instanceof RelayOrigin) {
			for (const client of [...added, ...updated]) this.#remoteClients.set(client, origin.relay);
		}
		for (const client of removed) this.#remoteClients.delete(client);
		const changed = [...added, ...updated, ...removed];
		this.#broadcast(encodeAwareness(this.awareness, changed));
		// Presence of this relay's own connections goes to the other relays; timeouts happen on each.
		if (this.#feed && (origin instanceof Connection || origin === LEAVE_ORIGIN)) {
			this.#feed.publishPresence(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
		}
	};

	// ---- Shared mode (several relays, REDIS_URL) ----

	#feedHandlers(): RoomFeedHandlers {
		return {
			entries: (entries) => this.#run(() => this.#applyEntries(entries)),
			presence: (update, relay) => {
				if (this.state === 'unloaded' || this.state === 'failed') return;
				try {
					awarenessProtocol.applyAwarenessUpdate(this.awareness, update, new RelayOrigin(relay));
				} catch (error) {
					this.#log.warn({ err: error, relay }, 'malformed presence from another relay');
				}
			},
			presenceQuery: () => this.#publishLocalPresence(),
			relayGone: (relay) => this.#removeRelayPresence(relay),
			nudgePresence: () => this.#nudgeLocalPresence(),
			resync: () => this.#queueResync(0)
		};
	}

	/** Entries other relays appended, in log order: apply and broadcast (they are stored already). */
	#applyEntries(entries: LogEntry[]): void {
		if (this.state !== 'open' && this.state !== 'unloading') return;
		for (const entry of entries) {
			if (compareIds(entry.id, this.#through) <= 0) continue;
			this.#through = entry.id;
			// Our own entries are in the document already, and were counted when appended.
			if (entry.own) continue;
			try {
				Y.applyUpdate(this.doc, entry.update, SHARED_ORIGIN);
			} catch (error) {
				this.#log.error({ err: error, entry: entry.id }, 'log entry failed to apply; reloading the room');
				this.#queueResync(0);
			}
			this.#count(entry.update.byteLength);
		}
		this.#broadcastFresh();
		// Updates waiting for ones the document lacks: whatever the log holds is loaded again.
		if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) this.#queueResync(PENDING_RESYNC_MS);
	}

	#broadcastFresh(): void {
		const fresh = this.#fresh;
		this.#fresh = [];
		for (const update of fresh) this.#broadcast(encodeUpdate(update));
	}

	#publishLocalPresence(): void {
		if (!this.#feed || this.state === 'unloaded') return;
		const states = this.awareness.getStates();
		const clients = [...this.connections].flatMap((connection) => [...connection.awarenessClients]).filter((client) => states.has(client));
		if (clients.length > 0) this.#feed.publishPresence(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
	}

	/**
	 * Remove the presence a dead relay brought. Peers accept the removal at the client's current
	 * clock, and the client's next announcement, one clock up, brings it back everywhere (also
	 * when the relay was only stalled: see #nudgeLocalPresence).
	 */
	#removeRelayPresence(relay: string): void {
		if (this.state === 'unloaded') return;
		const clients = [...this.#remoteClients].filter(([, from]) => from === relay).map(([client]) => client);
		if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, clients, 'relay gone');
	}

	/** Tell each local client its state was removed at its current clock: y-protocols makes it re-announce one clock up. */
	#nudgeLocalPresence(): void {
		if (this.state === 'unloaded') return;
		for (const connection of this.connections) {
			for (const client of connection.awarenessClients) {
				const meta = this.awareness.meta.get(client);
				if (meta && this.awareness.states.has(client)) this.#send(connection, encodeRemoval(client, meta.clock));
			}
		}
	}

	/** Queue a resynchronisation with the shared log (once), now or after `delayMs`. */
	#queueResync(delayMs: number): void {
		if (!this.#feed || this.#resyncQueued || this.state === 'unloaded') return;
		this.#resyncQueued = true;
		const start = () => {
			this.#resyncTimer = null;
			this.#run(async () => {
				this.#resyncQueued = false;
				if (this.state === 'open' || this.state === 'unloading') await this.#resync();
			});
		};
		if (delayMs === 0) return start();
		this.#resyncTimer = setTimeout(start, delayMs);
		this.#resyncTimer.unref();
	}

	/**
	 * Catch up both ways with what the shared store holds: take what the log has and the
	 * document lacks (entries missed while the subscription was down, or that pending updates
	 * wait for), and append what the document has and the log lacks (an append that failed,
	 * or writes Redis lost). Runs in the room's queue. True when in sync.
	 */
	async #resync(): Promise<boolean> {
		const shared = this.#options.shared!;
		const epoch = this.#feed!.epoch;
		const stored = new Y.Doc();
		try {
			const { state, through } = await shared.load(this.id);
			stored.transact(() => {
				for (const update of state) Y.applyUpdate(stored, update);
			});
			Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(stored, Y.encodeStateVector(this.doc)), SHARED_ORIGIN);
			this.#broadcastFresh();
			if (compareIds(through, this.#through) > 0) this.#through = through;
			if (!Y.equalSnapshots(Y.snapshot(this.doc), Y.snapshot(stored))) {
				const missing = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(stored));
				await this.#options.store.appendUpdate(this.id, missing);
				// This relay's clients may lack it too: a failed append was never broadcast.
				this.#broadcast(encodeUpdate(missing));
				this.#count(missing.byteLength);
				this.#log.info({ bytes: missing.byteLength }, 'appended what the shared log lacked');
			}
			this.#dirty = false;
			this.#syncedEpoch = epoch;
			return true;
		} catch (error) {
			this.#options.metrics.persistenceErrors.inc();
			this.#log.warn({ err: error }, 'could not resynchronise with the shared store; retrying');
			this.#queueResync(RETRY_RESYNC_MS);
			return false;
		} finally {
			stored.destroy();
		}
	}

	/** Snapshot under the shared lock; if another relay holds it, that relay compacts instead. */
	async #compactShared(feed: RoomFeed): Promise<void> {
		// A snapshot trims the log through #through: only safe when the document holds every entry up to it.
		if (this.#dirty || !feed.live || feed.epoch !== this.#syncedEpoch) {
			if (!(await this.#resync())) throw new Error('not in sync with the shared log; compaction postponed');
		}
		const started = performance.now();
		let size = this.#size;
		const written = await this.#options.shared!.compact(this.id, () => {
			const state = Y.encodeStateAsUpdate(this.doc);
			size = state.byteLength;
			return { state, through: this.#through, size };
		});
		if (written) {
			this.#options.metrics.persistenceWriteSeconds.observe({ op: 'snapshot' }, (performance.now() - started) / 1000);
			this.#log.debug({ logged: this.#updatesSinceSnapshot, bytes: size, through: this.#through }, 'compacted');
			this.#size = size;
		}
		this.#updatesSinceSnapshot = 0;
		this.#bytesSinceSnapshot = 0;
	}
}
