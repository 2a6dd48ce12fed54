import * as Y from 'yjs';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { RoomStore } from '../persistence/RoomStore';
import { CloseCode } from './closeCodes';
import type { Connection } from './Connection';
import { RoomCollection, type GarbageCollector } from './GarbageCollector';
import { MergeBudgetError, type MergeWorker } from './MergeWorker';
import { Presence, PresenceBudgetError, encodeRemoval, type PresenceBudget } from './Presence';
import { MalformedMessageError, UNBOUNDED, decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol';
import { EMPTY_STATE_VECTOR, EMPTY_UPDATE, RoomLog, isEmptyStateVector } from './RoomLog';
import { equalBytes } from '../access/keys';
import type { SharedRooms } from './RoomShare';
import { RoomShareLink } from './RoomShareLink';
import { SerialQueue, type Task } from './SerialQueue';
import { binaryFrame } from './wireFrame';
import { scanUpdate, UpdateBudgetError, type UpdateBudget, type UpdateSummary } from './updateScan';

/** A refusal decided outside the room (quotas, disk and memory budgets): close code, reason, metric label. */
export interface Refusal {
	code: number;
	reason: string;
	label: string;
}

export interface RoomOptions {
	store: RoomStore;
	metrics: RelayMetrics;
	logger: Logger;
	/** Merges and diffs of rooms too big to handle on the event loop. */
	merger: MergeWorker;
	/** Garbage collection of rooms whose bytes grew (deleted or replaced content); none if absent. */
	collector?: GarbageCollector;
	maxDocBytes: number;
	updateBudget: UpdateBudget;
	/** Client ids one room may hold structs of. */
	maxClientsPerRoom: number;
	/** Bytes of updates waiting for their dependencies, per connection. */
	maxPendingBytes: number;
	presenceBudget: PresenceBudget;
	/** Fold the update log into a snapshot after this many updates… */
	compactAfterUpdates: number;
	/** …or this many bytes of updates, whichever comes first. */
	compactAfterBytes: number;
	/** Called when the last connection leaves. */
	onIdle: (room: Room) => void;
	/** Asked before an update of `bytes` from `connection` is stored: a refusal, or null to go on (relay-wide quotas). */
	admit?: (connection: Connection, bytes: number) => Refusal | null;
	/** Told how each store write went: null when it succeeded (for /healthz). */
	onStore?: (error: unknown) => void;
	/** Told the bytes a room holds changed by `delta` (the relay's memory budget). */
	onBytes?: (delta: number) => void;
	/** Several relays serve the room (REDIS_URL): its log, presence and compaction are shared. */
	shared?: SharedRooms;
}

type RoomState = 'loading' | 'open' | 'failed' | 'unloading' | 'unloaded';

/**
 * Rooms up to this many bytes and client ids are merged and diffed on the event loop; bigger
 * ones in the merge worker. Yjs's update functions are linear in bytes but pay per client id too
 * (a 84 KB update of 4,000 client ids takes 10–30 ms to merge), so both are bounded.
 */
export const MAIN_THREAD_BYTES = 64 * 1024;
export const MAIN_THREAD_CLIENTS = 256;
/** An update this big is merged with the room in the worker before it is accepted: if that is over budget, it is refused. */
export const TRIAL_MERGE_BYTES = 128 * 1024;
/** y-protocols drops a state not renewed for this long (clients renew every 15 s). */
const PRESENCE_TIMEOUT_MS = 30_000;
const APPEND_LABELS = { op: 'append' } as const;
/** Broadcasts up to this size are framed once for all recipients (see `broadcast`). */
const WIRE_FRAME_MAX_BYTES = 64 * 1024;

/**
 * One room in memory: its log (the stored bytes, never a document), its presence and its
 * connections. Every message goes through the room's serial queue. An update is read as bytes
 * and held to its budgets, stored, and only then added to the log and broadcast: memory holds
 * only what the store accepted. An update whose dependencies have not arrived waits with its
 * connection (a small budget each) until they do. Several relays (REDIS_URL) share the log
 * and presence through `RoomShareLink`.
 */
export class Room {
	readonly id: string;
	readonly log = new RoomLog();
	readonly presence: Presence;
	readonly connections = new Set<Connection>();
	state: RoomState = 'loading';
	readonly #options: RoomOptions;
	readonly #logger: Logger;
	readonly #queue: SerialQueue;
	/** Connections holding updates that wait for dependencies. */
	readonly #waiting = new Set<Connection>();
	#compactionQueued = false;
	#link: RoomShareLink | null = null;
	readonly #collection: RoomCollection | null;
	readonly #expiry: NodeJS.Timeout;
	/** Bytes reported to onBytes. */
	#reported = 0;

	constructor(id: string, options: RoomOptions) {
		this.id = id;
		this.#options = options;
		this.#logger = options.logger.child({ room: id });
		this.#queue = new SerialQueue(this.#logger);
		this.presence = new Presence(options.presenceBudget);
		this.#expiry = setInterval(() => this.#expirePresence(), PRESENCE_TIMEOUT_MS / 10);
		this.#expiry.unref();
		this.#collection = options.collector ? this.#collectionOf(options.collector) : null;
		this.run(() => this.#load());
	}

	/** Bytes of stored state held (an upper bound between compactions). */
	get size(): number {
		return this.log.size;
	}

	get logger(): Logger {
		return this.#logger;
	}

	get options(): RoomOptions {
		return this.#options;
	}

	/**
	 * Add a connection; it gets sync step 1 and current presence once the room is loaded, and a
	 * fresh client (no copy of the room yet) the whole room with them, without waiting for its own
	 * sync step 1 (see `FRESH_SUBPROTOCOL`).
	 */
	join(connection: Connection): void {
		this.connections.add(connection);
		this.#runFor(connection, () => {
			this.send(connection, encodeSyncStep1(this.log.stateVector()));
			if (this.presence.size > 0) this.send(connection, encodeAwareness(this.presence.encode(this.presence.clients())));
			if (!connection.fresh) return;
			connection.sentStateVector = this.log.stateVector();
			return this.#answer(connection, EMPTY_STATE_VECTOR);
		});
	}

	/** Remove a connection and, at once, the presence it held and the updates it left waiting. */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		this.#waiting.delete(connection);
		connection.dropPending();
		if (this.state !== 'unloaded') {
			const removed = this.presence.removeOwner(connection);
			if (removed.length > 0) this.presenceChanged(removed, true);
		}
		if (this.connections.size === 0) this.#options.onIdle(this);
	}

	/** Handle one frame from a connection of this room. */
	receive(connection: Connection, frame: Uint8Array): void {
		this.#runFor(connection, () => this.#handle(connection, frame), `message ${frame[0]}.${frame[1]} of ${frame.byteLength} bytes`);
	}

	/** Close every connection with `code` (the room was deleted, say). */
	closeAll(code: number, reason: string): void {
		for (const connection of this.connections) connection.close(code, reason);
	}

	/**
	 * Final flush and release. Returns false (and stays loaded) if the flush failed, so nothing
	 * is lost.
	 */
	async unload(): Promise<boolean> {
		this.state = 'unloading';
		const flushed = await new Promise<boolean>((resolve) => this.run(() => this.flush().then(resolve)));
		if (!flushed || this.connections.size > 0) {
			this.state = 'open';
			return false;
		}
		this.state = 'unloaded';
		clearInterval(this.#expiry);
		await this.#link?.close();
		this.#report(0);
		return true;
	}

	/** Drop the room without a flush (it was deleted). */
	async discard(): Promise<void> {
		this.state = 'unloaded';
		clearInterval(this.#expiry);
		await this.#link?.close();
		this.#report(0);
	}

	/** Write a snapshot if anything was logged since the last one; true when the store is up to date. */
	async flush(): Promise<boolean> {
		if (this.state === 'failed' || this.state === 'unloaded') return true;
		try {
			if (this.log.logged > 0) await this.#compact();
			await this.#options.store.touchRoom(this.id, Date.now(), this.log.size);
			this.#options.onStore?.(null);
			return true;
		} catch (error) {
			this.#options.onStore?.(error);
			this.#options.metrics.persistenceErrors.inc();
			this.#logger.error({ err: error }, 'flush failed; room stays in memory');
			return false;
		}
	}

	/** Queue a task on the room. */
	run(task: Task): void {
		this.#queue.run(task);
	}

	/** Send to one connection, counted. */
	send(connection: Connection, frame: Uint8Array): void {
		if (!connection.send(frame)) return;
		this.#options.metrics.messagesOut.inc();
		this.#options.metrics.bytesOut.inc(frame.byteLength);
	}

	/**
	 * Send to every connection of the room, counted once per frame rather than per recipient
	 * (cheaper under fan-out). A small message is framed for the wire once (`binaryFrame`) and
	 * the same bytes written to every socket; a big one is left to `ws`, which frames it without
	 * copying the payload (the per-recipient work is nothing beside its size).
	 */
	broadcast(frame: Uint8Array): void {
		if (this.connections.size === 0) return;
		const shared = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
		const wire = shared.byteLength <= WIRE_FRAME_MAX_BYTES ? binaryFrame(shared) : undefined;
		let sent = 0;
		for (const peer of this.connections) if (peer.send(shared, wire)) sent++;
		if (sent === 0) return;
		this.#options.metrics.messagesOut.inc(sent);
		this.#options.metrics.bytesOut.inc(sent * frame.byteLength);
	}

	/** Presence of `clients` changed: tell this room's connections, and (`local`) the other relays. */
	presenceChanged(clients: number[], local: boolean): void {
		const update = this.presence.encode(clients);
		this.broadcast(encodeAwareness(update));
		if (local) this.#link?.publishPresence(update);
	}

	/**
	 * An entry the shared log brought (stored already): add and broadcast. False if it depends on
	 * what the room does not hold (an entry before it was missed): the caller reloads the log.
	 */
	appendShared(update: Uint8Array): boolean {
		const summary = scanUpdate(update, UNBOUNDED);
		const fit = this.log.fit(summary);
		if (fit === 'pending') return false;
		if (fit === 'known') return true;
		this.log.append(update, summary);
		this.broadcast(encodeUpdate(update));
		this.#afterAppend();
		return true;
	}

	/** Replace the log with state loaded again from the shared store; returns the previous state vector. */
	reload(parts: Uint8Array[], stateVector: Uint8Array): Uint8Array {
		const before = this.log.stateVector();
		this.log.load(parts, stateVector);
		this.#report(this.log.size);
		return before;
	}

	/** Merge the log (here if small, else in the worker) and keep the merge in memory. */
	async merged(): Promise<Uint8Array> {
		if (this.#small()) return this.log.mergeHere();
		const parts = [...this.log.parts];
		if (parts.length === 1) return parts[0];
		const { state } = await this.#options.merger.merge(parts);
		this.log.useMerged(state, parts.length);
		return state;
	}

	async #load(): Promise<void> {
		const started = performance.now();
		try {
			let stored: Uint8Array[];
			let stateVector: Uint8Array | null = null;
			const { store } = this.#options;
			if (this.#options.shared) {
				this.#link = new RoomShareLink(this, this.#options.shared);
				stored = await this.#link.open();
			} else if (store.loadStoredState) {
				({ parts: stored, stateVector } = await store.loadStoredState(this.id));
			} else {
				stored = await store.loadState(this.id);
			}
			// A snapshot saved with its state vector is taken as it is: no decoding, however big.
			if (stateVector && stored.length === 1) {
				this.log.load(stored, stateVector);
				this.#report(this.log.size);
			} else {
				await this.#loadParts(stored);
			}
			this.state = 'open';
			this.#link?.opened();
			this.#logger.info({ bytes: this.log.size, parts: stored.length, ms: Math.round(performance.now() - started) }, 'room loaded');
		} catch (error) {
			this.state = 'failed';
			this.#logger.error({ err: error }, 'room failed to load');
			for (const connection of this.connections) connection.close(CloseCode.internalError, 'room failed to load');
		}
	}

	/** Small enough to merge and diff on the event loop. */
	#small(): boolean {
		return this.log.size <= MAIN_THREAD_BYTES && this.log.clients <= MAIN_THREAD_CLIENTS;
	}

	/** Take stored parts: their merge and its state vector (on this thread when small). */
	async #loadParts(stored: Uint8Array[]): Promise<void> {
		const bytes = stored.reduce((sum, part) => sum + part.byteLength, 0);
		if (stored.length === 0) {
			this.log.load([], EMPTY_STATE_VECTOR);
		} else if (bytes <= MAIN_THREAD_BYTES && clientsIn(stored) <= MAIN_THREAD_CLIENTS) {
			const state = stored.length === 1 ? stored[0] : Y.mergeUpdates(stored);
			this.log.load(stored, Y.encodeStateVectorFromUpdate(state));
			if (stored.length > 1) this.log.useMerged(state, stored.length);
		} else {
			const { state, stateVector } = await this.#options.merger.load(stored);
			this.log.load(stored, stateVector!);
			if (stored.length > 1) this.log.useMerged(state, stored.length);
		}
		this.#report(this.log.size);
	}

	/** Queue work for a connection: skipped once it closed; errors close it with their code. */
	#runFor(connection: Connection, task: Task, what?: string): void {
		const run: Task = () => {
			if (connection.closed || this.state === 'failed' || this.state === 'unloaded') return;
			try {
				const pending = task();
				if (pending) return pending.catch((error: unknown) => this.#reject(connection, error));
			} catch (error) {
				this.#reject(connection, error);
			}
		};
		run.what = what;
		this.run(run);
	}

	/** Close a connection for what its message did: each kind of fault has its code (docs/RELAY.md). */
	#reject(connection: Connection, error: unknown): void {
		const context = { connection: connection.id, address: connection.address, err: error };
		let code: number = CloseCode.malformedMessage;
		let label = 'malformed_message';
		if (error instanceof UpdateBudgetError || error instanceof PresenceBudgetError || error instanceof MergeBudgetError) {
			code = CloseCode.overBudget;
			label = error instanceof PresenceBudgetError ? 'presence_over_budget' : 'update_over_budget';
		} else if (!(error instanceof MalformedMessageError)) {
			code = CloseCode.internalError;
			label = 'internal_error';
		}
		this.#logger.warn(context, label.replaceAll('_', ' '));
		this.#options.metrics.rejectedConnections.inc({ reason: label });
		connection.close(code, label.replaceAll('_', ' '));
	}

	#refuse(connection: Connection, refusal: Refusal, details: Record<string, unknown> = {}): void {
		this.#logger.warn({ connection: connection.id, address: connection.address, ...details }, refusal.reason);
		this.#options.metrics.rejectedConnections.inc({ reason: refusal.label });
		connection.close(refusal.code, refusal.reason);
	}

	#handle(connection: Connection, frame: Uint8Array): void | Promise<void> {
		const started = performance.now();
		const message = decodeMessage(frame, this.#options.updateBudget);
		if (message.kind === 'update' || message.kind === 'syncStep2') this.#options.metrics.updateApplySeconds.observe((performance.now() - started) / 1000);
		switch (message.kind) {
			case 'syncStep1': {
				const sent = connection.sentStateVector;
				if (sent === null) return this.#answer(connection, message.stateVector);
				// A fresh client's own step 1: it has what it was sent, and every update since was broadcast to
				// it; what it has of its own reaches the relay as its answer to the relay's step 1.
				connection.sentStateVector = null;
				if (equalBytes(this.log.stateVector(), sent)) return void this.send(connection, encodeSyncStep2(EMPTY_UPDATE));
				return this.#answer(connection, sent);
			}
			case 'syncStep2':
			case 'update':
				if (connection.access === 'view') {
					this.#options.metrics.droppedViewerUpdates.inc();
					return;
				}
				return this.#receiveUpdate(connection, message.update, message.summary);
			case 'awareness': {
				const change = this.presence.apply(message.update, connection, true);
				if (change.dropped > 0) this.#options.metrics.droppedPresence.inc(change.dropped);
				for (const [client, clock] of change.stale) this.send(connection, encodeRemoval(client, clock));
				if (change.changed.length > 0) this.presenceChanged(change.changed, true);
				return;
			}
			case 'queryAwareness':
				this.send(connection, encodeAwareness(this.presence.encode(this.presence.clients())));
				return;
			case 'auth':
				return;
		}
	}

	/** Sync step 2 for a peer's state vector: from the bytes, with Yjs's update functions. */
	#answer(connection: Connection, stateVector: Uint8Array): void | Promise<void> {
		const whole = isEmptyStateVector(stateVector);
		if (this.#small() || (whole && this.log.parts.length === 1)) {
			const state = this.log.mergeHere();
			this.send(connection, encodeSyncStep2(whole ? state : Y.diffUpdate(state, stateVector)));
			return;
		}
		const parts = [...this.log.parts];
		return this.#options.merger.diff(parts, stateVector).then(
			({ state, diff }) => {
				this.log.useMerged(state, parts.length);
				this.send(connection, encodeSyncStep2(diff!));
			},
			(error: unknown) => {
				this.#options.metrics.persistenceErrors.inc();
				this.#logger.error({ err: error }, 'could not merge the room for a sync answer');
				connection.close(CloseCode.internalError, 'room too costly to merge');
			}
		);
	}

	#receiveUpdate(connection: Connection, update: Uint8Array, summary: UpdateSummary): void | Promise<void> {
		const fit = this.log.fit(summary);
		if (fit === 'known') return;
		if (fit === 'pending') {
			if (!connection.holdPending(update, summary, this.#options.maxPendingBytes)) {
				this.#refuse(connection, { code: CloseCode.overBudget, reason: 'too many updates waiting for dependencies', label: 'pending_over_budget' }, { pending: connection.pendingBytes });
				return;
			}
			this.#waiting.add(connection);
			return;
		}
		return this.#accept(connection, update, summary);
	}

	/** Check an update against the room's budgets, store it, then add it to the log and broadcast it. */
	#accept(connection: Connection, update: Uint8Array, summary: UpdateSummary, collect = true): void | Promise<void> {
		const { maxClientsPerRoom, maxDocBytes } = this.#options;
		if (this.log.clients + this.log.newClients(summary) > maxClientsPerRoom) {
			return this.#refuse(connection, { code: CloseCode.overBudget, reason: 'too many client ids in the room', label: 'room_clients_over_budget' });
		}
		if (this.log.size + update.byteLength > maxDocBytes) {
			// Deleted or replaced content may be what fills the room: collected, it may fit.
			if (collect && this.#collection?.mayFree()) return this.#collection.collectNow().then(() => this.#accept(connection, update, summary, false));
			return this.#refuse(connection, { code: CloseCode.documentTooLarge, reason: 'document too large', label: 'document_too_large' }, { size: this.log.size, update: update.byteLength });
		}
		const refusal = this.#options.admit?.(connection, update.byteLength);
		if (refusal) return this.#refuse(connection, refusal, { update: update.byteLength });
		if (update.byteLength < TRIAL_MERGE_BYTES) return this.#store(connection, update, summary);
		// A big update is merged with the room before it is kept: if that is over the worker's
		// budget it is refused here, rather than stored and then unmergeable forever.
		const parts = [...this.log.parts, update];
		return this.#options.merger.merge(parts).then(({ state }) => {
			const stored = this.#store(connection, update, summary);
			const keep = () => {
				if (this.log.parts.length === parts.length) this.log.useMerged(state, parts.length);
			};
			if (stored instanceof Promise) return stored.then(keep);
			keep();
		});
	}

	/** Append to the store; once it has the update, add it to the log and broadcast it. */
	#store(connection: Connection, update: Uint8Array, summary: UpdateSummary): void | Promise<void> {
		const started = performance.now();
		let appended: void | Promise<void>;
		try {
			appended = this.#options.store.appendUpdate(this.id, update);
		} catch (error) {
			return this.#storeFailed(connection, error);
		}
		if (appended) {
			return appended.then(
				() => this.#stored(update, summary, started),
				(error: unknown) => this.#storeFailed(connection, error)
			);
		}
		this.#stored(update, summary, started);
	}

	#stored(update: Uint8Array, summary: UpdateSummary, started: number): void {
		this.#options.metrics.persistenceWriteSeconds.observe(APPEND_LABELS, (performance.now() - started) / 1000);
		this.#options.onStore?.(null);
		this.log.append(update, summary);
		this.broadcast(encodeUpdate(update));
		this.#afterAppend();
	}

	/** Nothing changed in memory and nothing was sent: the sender is told, and sends it again when it reconnects. */
	#storeFailed(connection: Connection, error: unknown): void {
		this.#options.onStore?.(error);
		this.#options.metrics.persistenceErrors.inc();
		this.#logger.error({ err: error, connection: connection.id }, 'could not store update');
		connection.close(CloseCode.internalError, 'could not store update');
	}

	#afterAppend(): void {
		this.#report(this.log.size);
		this.#collection?.maybeStart();
		if (this.#waiting.size > 0) this.run(() => this.#retryPending());
		const { compactAfterUpdates, compactAfterBytes } = this.#options;
		if (!this.#compactionQueued && (this.log.logged >= compactAfterUpdates || this.log.loggedBytes >= compactAfterBytes)) {
			// Queued, not run here: a snapshot must not slip between an update's store and its broadcast.
			this.#compactionQueued = true;
			this.run(async () => {
				this.#compactionQueued = false;
				if (this.state === 'open') await this.flush();
			});
		}
	}

	/** Updates that waited for dependencies: those now complete are accepted, in the order they came. */
	#retryPending(): void | Promise<void> {
		for (const connection of this.#waiting) {
			if (connection.closed) {
				this.#waiting.delete(connection);
				continue;
			}
			const ready = connection.takeReady((summary) => this.log.fit(summary) !== 'pending');
			if (!connection.hasPending) this.#waiting.delete(connection);
			for (const { update, summary } of ready) {
				// Queued one by one: accepting one may make more ready (retried after it is stored).
				this.#runFor(connection, () => (this.log.fit(summary) === 'known' ? undefined : this.#accept(connection, update, summary)));
			}
		}
	}

	async #compact(): Promise<void> {
		if (this.#link) return this.#link.compact();
		const started = performance.now();
		// Read before the merge starts: it is the state vector of exactly the parts merged (the
		// room's queue holds every append until this task ends).
		const stateVector = this.log.stateVector();
		const state = await this.merged();
		const logged = this.log.logged;
		await this.#options.store.saveSnapshot(this.id, state, Date.now(), stateVector);
		this.#options.metrics.persistenceWriteSeconds.observe({ op: 'snapshot' }, (performance.now() - started) / 1000);
		this.#logger.debug({ logged, bytes: state.byteLength }, 'compacted');
		this.log.snapshotted();
	}

	/** The room's garbage collection: results are taken on its queue (skipped once it is unloaded) and stored as its snapshot. */
	#collectionOf(collector: GarbageCollector): RoomCollection {
		const host = {
			id: this.id,
			log: this.log,
			logger: this.#logger,
			metrics: this.#options.metrics,
			run: (task: Task) => this.run(() => (this.state === 'open' || this.state === 'unloading' ? task() : undefined)),
			save: async () => {
				this.#report(this.log.size);
				await this.#compact();
			}
		};
		return new RoomCollection(host, collector);
	}

	#expirePresence(): void {
		if (this.state !== 'open') return;
		const expired = this.presence.expire(PRESENCE_TIMEOUT_MS);
		if (expired.length > 0) this.presenceChanged(expired, false);
	}

	#report(bytes: number): void {
		this.#options.onBytes?.(bytes - this.#reported);
		this.#reported = bytes;
	}
}

/** Client ids in stored parts (an upper bound: counted per part), read as bytes. */
function clientsIn(parts: Uint8Array[]): number {
	return parts.reduce((sum, part) => sum + scanUpdate(part, UNBOUNDED).ranges.size, 0);
}
