import * as Y from 'yjs';
import { BEFORE_ALL, compareIds } from '../redis/streamIds';
import { encodeRemoval } from './Presence';
import { encodeUpdate } from './protocol';
import type { Room } from './Room';
import type { LogEntry, RoomFeed, RoomFeedHandlers, SharedRooms } from './RoomShare';

/** Wait before trying a failed resynchronisation again (Redis away). */
const RETRY_RESYNC_MS = 1000;

/**
 * A room's part in the shared layer (REDIS_URL), kept out of the room itself: the shared
 * stream is the room's log. Entries other relays appended are added and broadcast, in log
 * order; presence crosses relays, each relay speaking for its own connections; compaction
 * happens under the room's lock. Like the room, it holds bytes only: no `Y.Doc`.
 */
export class RoomShareLink {
	readonly #room: Room;
	readonly #shared: SharedRooms;
	#feed: RoomFeed | null = null;
	/** The last log entry the room holds. */
	#through = BEFORE_ALL;
	/** The feed's epoch when the room last caught up with the whole log. */
	#syncedEpoch = 0;
	#resyncQueued = false;
	#resyncTimer: NodeJS.Timeout | null = null;
	#closed = false;

	constructor(room: Room, shared: SharedRooms) {
		this.#room = room;
		this.#shared = shared;
	}

	/** Subscribe, then load: the stored parts. */
	async open(): Promise<Uint8Array[]> {
		const opened = await this.#shared.open(this.#room.id, this.#handlers());
		this.#through = opened.through;
		this.#syncedEpoch = opened.epoch;
		this.#feed = opened.feed;
		return opened.state;
	}

	/** The room is loaded: ask the other relays for their presence. */
	opened(): void {
		this.#feed?.queryPresence();
	}

	publishPresence(update: Uint8Array): void {
		this.#feed?.publishPresence(update);
	}

	async close(): Promise<void> {
		this.#closed = true;
		if (this.#resyncTimer) clearTimeout(this.#resyncTimer);
		await this.#feed?.close();
	}

	/** Snapshot under the shared lock; if another relay holds it, that relay compacts instead. */
	async compact(): Promise<void> {
		const feed = this.#feed!;
		// A snapshot trims the log through #through: only safe when the room holds every entry up to it.
		if (!feed.live || feed.epoch !== this.#syncedEpoch) {
			if (!(await this.#resync())) throw new Error('not in sync with the shared log; compaction postponed');
		}
		const room = this.#room;
		const started = performance.now();
		const state = await room.merged();
		const written = await this.#shared.compact(room.id, () => ({ state, through: this.#through, size: state.byteLength }));
		if (written) {
			room.options.metrics.persistenceWriteSeconds.observe({ op: 'snapshot' }, (performance.now() - started) / 1000);
			room.logger.debug({ bytes: state.byteLength, through: this.#through }, 'compacted');
		}
		room.log.snapshotted();
	}

	#handlers(): RoomFeedHandlers {
		const room = this.#room;
		return {
			entries: (entries) => room.run(() => this.#applyEntries(entries)),
			presence: (update, relay) => {
				if (room.state !== 'open' && room.state !== 'unloading') return;
				try {
					const change = room.presence.apply(update, relay, false);
					if (change.changed.length > 0) room.presenceChanged(change.changed, false);
				} catch (error) {
					room.logger.warn({ err: error, relay }, 'malformed presence from another relay');
				}
			},
			presenceQuery: () => this.#publishLocalPresence(),
			relayGone: (relay) => {
				if (room.state === 'unloaded') return;
				const removed = room.presence.removeOwner(relay);
				if (removed.length > 0) room.presenceChanged(removed, false);
			},
			nudgePresence: () => this.#nudgeLocalPresence(),
			resync: () => this.#queueResync(0)
		};
	}

	/** Entries other relays appended, in log order: add and broadcast (they are stored already). */
	#applyEntries(entries: LogEntry[]): void {
		const room = this.#room;
		if (room.state !== 'open' && room.state !== 'unloading') return;
		for (const entry of entries) {
			if (compareIds(entry.id, this.#through) <= 0) continue;
			this.#through = entry.id;
			// Our own entries are in the log already: added when the store accepted them.
			if (entry.own) continue;
			try {
				if (!room.appendShared(entry.update)) {
					room.logger.info({ entry: entry.id }, 'log entry depends on one this relay missed; reloading the room');
					this.#queueResync(0);
					return;
				}
			} catch (error) {
				room.logger.error({ err: error, entry: entry.id }, 'unreadable log entry; reloading the room');
				this.#queueResync(0);
			}
		}
	}

	#publishLocalPresence(): void {
		const room = this.#room;
		if (!this.#feed || room.state === 'unloaded') return;
		const clients = [...room.connections].flatMap((connection) => room.presence.ownedBy(connection));
		if (clients.length > 0) this.#feed.publishPresence(room.presence.encode(clients));
	}

	/** Tell each local client its state was removed at its current clock: y-protocols makes it re-announce one clock up. */
	#nudgeLocalPresence(): void {
		const room = this.#room;
		if (room.state === 'unloaded') return;
		for (const connection of room.connections) {
			for (const client of room.presence.ownedBy(connection)) {
				const clock = room.presence.clockOf(client);
				if (clock !== undefined) room.send(connection, encodeRemoval(client, clock));
			}
		}
	}

	/** Queue a resynchronisation with the shared log (once), now or after `delayMs`. */
	#queueResync(delayMs: number): void {
		if (!this.#feed || this.#resyncQueued || this.#closed) return;
		this.#resyncQueued = true;
		const start = () => {
			this.#resyncTimer = null;
			this.#room.run(async () => {
				this.#resyncQueued = false;
				if (this.#room.state === 'open' || this.#room.state === 'unloading') await this.#resync();
			});
		};
		if (delayMs === 0) return start();
		this.#resyncTimer = setTimeout(start, delayMs);
		this.#resyncTimer.unref();
	}

	/**
	 * Load the room again from the shared store (entries may have been missed while the
	 * subscription was down) and send this relay's clients what they lack. Memory only ever
	 * holds what the log accepted, so nothing needs appending back. True when in sync.
	 */
	async #resync(): Promise<boolean> {
		const room = this.#room;
		const epoch = this.#feed!.epoch;
		try {
			const { state, through } = await this.#shared.load(room.id);
			const merged = state.length === 0 ? null : state.length === 1 ? state[0] : (await room.options.merger.load(state)).state;
			const stateVector = merged ? Y.encodeStateVectorFromUpdate(merged) : Uint8Array.of(0);
			const before = room.reload(merged ? [merged] : [], stateVector);
			if (merged) {
				const missing = Y.diffUpdate(merged, before);
				// An update with no structs and an empty delete set is two zero bytes.
				if (missing.byteLength > 2) room.broadcast(encodeUpdate(missing));
			}
			if (compareIds(through, this.#through) > 0) this.#through = through;
			this.#syncedEpoch = epoch;
			return true;
		} catch (error) {
			room.options.metrics.persistenceErrors.inc();
			room.logger.warn({ err: error }, 'could not resynchronise with the shared store; retrying');
			this.#queueResync(RETRY_RESYNC_MS);
			return false;
		}
	}
}
