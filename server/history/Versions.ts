import * as Y from 'yjs';
import type { Logger } from '../log';
import type { RoomStore } from '../persistence/RoomStore';
import { DEFAULT_RETENTION, versionsToDrop, type RetentionPolicy } from './retention';
import { decodeVersion, encodeVersion } from './versionCodec';
import { inspectState } from './versionState';
import type { VersionInfo, VersionReason, VersionStore } from './VersionStore';

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

	constructor(rooms: RoomStore, store: VersionStore, options: VersionsOptions = {}) {
		this.#rooms = rooms;
		this.#store = store;
		this.#retention = options.retention ?? DEFAULT_RETENTION;
		this.#logger = options.logger;
		this.#now = options.now ?? Date.now;
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
			if (reason !== 'manual' && (await this.#store.newestFingerprint(roomId)) === facts.fingerprint) {
				const [newest] = await this.#store.list(roomId);
				if (newest) return { taken: false, reason: 'unchanged', version: newest };
			}
			const now = this.#now();
			const version = await this.#store.add(roomId, { takenAt: now, reason, name, fingerprint: facts.fingerprint, state: encodeVersion(state) });
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

	removeRoom(roomId: string): Promise<void> {
		return this.#serial(roomId, () => this.#store.removeRoom(roomId));
	}

	/** Wait for every take under way. */
	async settle(): Promise<void> {
		await Promise.all([...this.#queues.values()]);
	}
}
