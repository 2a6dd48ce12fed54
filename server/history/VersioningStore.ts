import type { Logger } from '../log';
import type { RoomRecord, RoomStore, StoredState } from '../persistence/RoomStore';
import type { VersionReason } from './VersionStore';
import type { Versions } from './Versions';

export interface VersioningOptions {
	/** A room edited and then quiet this long gets a version: the end of a meeting (VERSION_QUIET_MS, 10 min). */
	quietMs?: number;
	/** A room edited without a pause gets one at least this often (VERSION_EVERY_MS, 1 h). */
	everyMs?: number;
	/** How often rooms are looked at; default a quarter of quietMs, at most 30 s. */
	tickMs?: number;
	logger?: Logger;
	now?: () => number;
}

interface Activity {
	/** Last accepted update. */
	lastEdit: number;
	/** First update since the room's last version. */
	firstEdit: number;
}

/**
 * A RoomStore that takes versions as rooms are used, without the relay knowing: every store call
 * goes to the wrapped store, and `appendUpdate` (what the relay calls for each accepted update)
 * also notes that the room was edited. A timer then versions rooms that have gone quiet after
 * edits, and rooms edited for an hour without a pause. Deleting a room deletes its versions.
 * @example const store = new VersioningStore(SqliteStore.open(dir), versions)
 */
export class VersioningStore implements RoomStore {
	readonly #inner: RoomStore;
	readonly #versions: Versions;
	readonly #activity = new Map<string, Activity>();
	readonly #quietMs: number;
	readonly #everyMs: number;
	readonly #logger: Logger | undefined;
	readonly #now: () => number;
	readonly #timer: NodeJS.Timeout;

	constructor(inner: RoomStore, versions: Versions, options: VersioningOptions = {}) {
		this.#inner = inner;
		this.#versions = versions;
		this.#quietMs = options.quietMs ?? 10 * 60_000;
		this.#everyMs = options.everyMs ?? 60 * 60_000;
		this.#logger = options.logger;
		this.#now = options.now ?? Date.now;
		this.#timer = setInterval(() => this.tick(), options.tickMs ?? Math.min(30_000, Math.max(10, this.#quietMs / 4)));
		this.#timer.unref();
	}

	get versions(): Versions {
		return this.#versions;
	}

	/** Version the rooms that are due (the timer calls this; tests may too). */
	tick(): Promise<void> {
		const now = this.#now();
		const due: [string, VersionReason][] = [];
		for (const [roomId, activity] of this.#activity) {
			if (now - activity.lastEdit >= this.#quietMs) due.push([roomId, 'quiet']);
			else if (now - activity.firstEdit >= this.#everyMs) due.push([roomId, 'hourly']);
		}
		return Promise.all(due.map(([roomId, reason]) => this.#take(roomId, reason))).then(() => undefined);
	}

	async #take(roomId: string, reason: VersionReason): Promise<void> {
		const activity = this.#activity.get(roomId);
		this.#activity.delete(roomId);
		try {
			const result = await this.#versions.take(roomId, reason);
			// A pending state is whole again after the missing updates arrive: try at the next quiet.
			if (!result.taken && result.reason === 'pending' && activity && !this.#activity.has(roomId)) this.#activity.set(roomId, { ...activity, lastEdit: this.#now() });
		} catch (error) {
			this.#logger?.error({ err: error, roomId, reason }, 'version failed');
		}
	}

	appendUpdate(id: string, update: Uint8Array): void | Promise<void> {
		const result = this.#inner.appendUpdate(id, update);
		const now = this.#now();
		const activity = this.#activity.get(id);
		if (activity) activity.lastEdit = now;
		else this.#activity.set(id, { lastEdit: now, firstEdit: now });
		return result;
	}

	getRoom(id: string): Promise<RoomRecord | null> {
		return this.#inner.getRoom(id);
	}
	claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord> {
		return this.#inner.claimRoom(id, keyCheck, now);
	}
	loadState(id: string): Promise<Uint8Array[]> {
		return this.#inner.loadState(id);
	}
	loadStoredState(id: string): Promise<StoredState> {
		return this.#inner.loadStoredState ? this.#inner.loadStoredState(id) : this.#inner.loadState(id).then((parts) => ({ parts, stateVector: null }));
	}
	saveSnapshot(id: string, state: Uint8Array, now: number, stateVector?: Uint8Array): Promise<void> {
		return this.#inner.saveSnapshot(id, state, now, stateVector);
	}
	touchRoom(id: string, lastActive: number, size: number): Promise<void> {
		return this.#inner.touchRoom(id, lastActive, size);
	}
	listRooms(): Promise<RoomRecord[]> {
		return this.#inner.listRooms();
	}
	check(): Promise<void> {
		return this.#inner.check();
	}
	isDeleted(id: string): Promise<boolean> {
		return this.#inner.isDeleted(id);
	}
	async deleteRoom(id: string): Promise<boolean> {
		this.#activity.delete(id);
		const deleted = await this.#inner.deleteRoom(id);
		await this.#versions.removeRoom(id);
		return deleted;
	}

	/** Version every room edited since its last version (a shutdown ends the meeting), then close both stores. */
	async close(): Promise<void> {
		clearInterval(this.#timer);
		await Promise.all([...this.#activity.keys()].map((roomId) => this.#take(roomId, 'quiet')));
		await this.#versions.close();
		await this.#inner.close();
		await this.#versions.store.close();
	}
}
