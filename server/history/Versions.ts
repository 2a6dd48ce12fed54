import * as Y from 'yjs';
import type { Logger } from '../log';
import type { RoomStore } from '../persistence/RoomStore';
import { DEFAULT_RETENTION, versionsToDrop, type RetentionPolicy } from './retention';
import { decodeVersion, encodeVersion } from './versionCodec';
import { PlainStateClosedError, PlainStateWorker, type PlainStateMaker } from './PlainStateWorker';
import { inspectState } from './versionState';
import { NO_PLAIN_STATE, type NewVersion, type VersionInfo, type VersionReason, type VersionStore } from './VersionStore';

/** What came of asking for a version. */
export type TakeResult =
	| { taken: true; version: VersionInfo }
	/** The room has not changed since its newest version, which stands for this one. */
	| { taken: false; reason: 'unchanged'; version: VersionInfo }
	| { taken: false; reason: 'pending' | 'empty' | 'unknown-room' };

export interface VersionsOptions {
	retention?: RetentionPolicy;
	logger?: Logger;
	now?: () => number;
	/** Makes versions' plain states (default: a worker thread with a budget; closed with `close()`). */
	plainStates?: PlainStateMaker;
}

export const MAX_VERSION_NAME_LENGTH = 120;

/**
 * Taking, listing and reading a room's versions. A version is the room's stored state (the
 * snapshot and the log since, merged into one update without building a document), taken only
 * when it is whole: a state with structs that wait on missing ones is skipped. Takes for one
 * room run one at a time; after each, versions past the retention policy are dropped.
 */
export class Versions {
	readonly #rooms: RoomStore;
	readonly #store: VersionStore;
	readonly #retention: RetentionPolicy;
	readonly #logger: Logger | undefined;
	readonly #now: () => number;
	readonly #queues = new Map<string, Promise<unknown>>();
	readonly #plainStates: PlainStateMaker;
	/** Plain states being made for versions that had none, so asking twice makes one. */
	readonly #filling = new Map<string, Promise<Uint8Array | null>>();

	constructor(rooms: RoomStore, store: VersionStore, options: VersionsOptions = {}) {
		this.#rooms = rooms;
		this.#store = store;
		this.#retention = options.retention ?? DEFAULT_RETENTION;
		this.#logger = options.logger;
		this.#now = options.now ?? Date.now;
		this.#plainStates = options.plainStates ?? new PlainStateWorker();
	}

	get store(): VersionStore {
		return this.#store;
	}

	/** Run `fn` after the room's earlier version work. */
	#serial<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
		const previous = this.#queues.get(roomId) ?? Promise.resolve();
		const next = previous.then(fn, fn);
		const settled = next.catch(() => undefined);
		this.#queues.set(roomId, settled);
		void settled.then(() => {
			if (this.#queues.get(roomId) === settled) this.#queues.delete(roomId);
		});
		return next;
	}

	/**
	 * Take a version of the room now. A manual one is always stored; any other is skipped when
	 * the room is unchanged since its newest version (which is returned instead).
	 * @example await versions.take(roomId, 'before-restore')
	 */
	take(roomId: string, reason: VersionReason, name: string | null = null): Promise<TakeResult> {
		return this.#serial(roomId, async () => {
			if (!(await this.#rooms.getRoom(roomId))) return { taken: false, reason: 'unknown-room' };
			const parts = await this.#rooms.loadState(roomId);
			if (parts.length === 0) return { taken: false, reason: 'empty' };
			const state = parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
			const facts = inspectState(state);
			if (facts.pending) {
				this.#logger?.warn({ roomId, reason }, 'version skipped: the stored state waits on missing updates');
				return { taken: false, reason: 'pending' };
			}
			// Cheap first look; `addIfChanged` decides for good (another relay may be versioning the same state).
			if (reason !== 'manual' && (await this.#store.newestFingerprint(roomId)) === facts.fingerprint) {
				const [newest] = await this.#store.list(roomId);
				if (newest) return { taken: false, reason: 'unchanged', version: newest };
			}
			const plain = await this.#plainState(roomId, state);
			const now = this.#now();
			const taken: NewVersion = { takenAt: now, reason, name, fingerprint: facts.fingerprint, state: encodeVersion(state), plain };
			let version: VersionInfo;
			if (reason === 'manual') version = await this.#store.add(roomId, taken);
			else {
				const result = await this.#store.addIfChanged(roomId, taken);
				if (!result.added) return { taken: false, reason: 'unchanged', version: result.version };
				version = result.version;
			}
			const drop = versionsToDrop(await this.#store.list(roomId), now, this.#retention);
			await this.#store.remove(roomId, drop);
			this.#logger?.info({ roomId, reason, version: version.id, size: version.size, dropped: drop.length }, 'version taken');
			return { taken: true, version };
		});
	}

	list(roomId: string): Promise<VersionInfo[]> {
		return this.#store.list(roomId);
	}

	/** A version's state (a Yjs update), or null if the room has no such version. */
	async read(roomId: string, id: number): Promise<Uint8Array | null> {
		const stored = await this.#store.read(roomId, id);
		return stored && decodeVersion(stored);
	}

	/**
	 * A version's plain state (gzipped `RoomState` JSON) for comparing without decoding it:
	 * null if there is no such version, `NO_PLAIN_STATE` (empty) if it was over its budget. A
	 * version taken before plain states were kept gets one now, once.
	 */
	async readPlain(roomId: string, id: number): Promise<Uint8Array | null> {
		const row = await this.#store.readPlain(roomId, id);
		if (!row) return null;
		if (row.plain) return row.plain;
		const key = `${roomId}/${id}`;
		let filling = this.#filling.get(key);
		if (!filling) {
			filling = (async () => {
				const state = await this.read(roomId, id);
				if (!state) return null;
				const plain = await this.#plainState(roomId, state);
				if (plain === null) return NO_PLAIN_STATE;
				await this.#store.setPlain(roomId, id, plain);
				return plain;
			})().finally(() => this.#filling.delete(key));
			this.#filling.set(key, filling);
		}
		return filling;
	}

	/**
	 * The plain state of a whole room's update, NO_PLAIN_STATE when it is over its budget (kept,
	 * so it is not tried again), or null when the relay is closing (made later, when first read).
	 */
	async #plainState(roomId: string, state: Uint8Array): Promise<Uint8Array | null> {
		try {
			return await this.#plainStates.make(state);
		} catch (error) {
			if (error instanceof PlainStateClosedError) return null;
			this.#logger?.warn({ roomId, err: error }, 'no plain state for this version: over its budget');
			return NO_PLAIN_STATE;
		}
	}

	removeRoom(roomId: string): Promise<void> {
		return this.#serial(roomId, () => this.#store.removeRoom(roomId));
	}

	/** Wait for every take under way. */
	async settle(): Promise<void> {
		await Promise.all([...this.#queues.values(), ...[...this.#filling.values()].map((p) => p.catch(() => null))]);
	}

	/** Wait for the work under way, then stop the plain-state worker (the store is closed by its owner). */
	async close(): Promise<void> {
		await this.settle();
		await this.#plainStates.close();
	}
}
