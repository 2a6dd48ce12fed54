import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '../redis/connection';
import { BUFFERS } from '../redis/connection';
import { ROOMS_KEY, roomKeys } from '../redis/keys';
import { APPEND, CLAIM, DELETE, LOAD, SNAPSHOT, TOUCH, UNLOCK } from '../redis/scripts';
import { BEFORE_ALL, compareIds, nextId } from '../redis/streamIds';
import type { RoomRecord, RoomStore } from './RoomStore';
import { StoreUnavailableError } from './storeErrors';

/** Published log entries start with this byte, then the relay id, then `<id>\n<update>`. */
export const ENTRY_MESSAGE = 0x75; // 'u'

/** The health check's probe key, one per store; it expires so stopped relays leave nothing. */
const PROBE_KEY_PREFIX = 'refinery:health:';
const PROBE_MS = 60_000;

/** How long a compaction lock lives if its holder dies before releasing it. */
const LOCK_MS = 10_000;

type Field = Buffer | null;
type StreamEntry = [Buffer, Buffer[]];

function toRecord(id: string, [keyCheck, createdAt, lastActive, size]: Field[]): RoomRecord | null {
	if (!keyCheck) return null;
	return {
		id,
		keyCheck: new Uint8Array(keyCheck),
		createdAt: Number(createdAt),
		lastActive: Number(lastActive),
		size: Number(size ?? 0)
	};
}

/**
 * RoomStore on Redis, shared by every relay process: the registry in a hash per room plus a
 * sorted set, the update log in a stream per room (one total order across relays), and the
 * snapshot in a string. Appending also publishes the entry on the room's channel in the same
 * script, so subscribers see entries in log order. Works on one Redis (or a primary with
 * replicas); the registry's sorted set spans rooms, so not on a sharded cluster.
 */
export class RedisStore implements RoomStore {
	readonly #client: RedisConnection;
	/** Prefix of published entries: type byte and this relay's id. */
	readonly #prefix: Buffer;
	readonly #probeKey: string;

	constructor(client: RedisConnection, relayId = 'cli-' + randomBytes(6).toString('hex')) {
		this.#client = client;
		this.#prefix = Buffer.concat([Buffer.of(ENTRY_MESSAGE), Buffer.from(relayId)]);
		this.#probeKey = PROBE_KEY_PREFIX + relayId;
	}

	/** A probe key written and read back: Redis is reachable and takes writes (not out of memory, not read-only). */
	async check(): Promise<void> {
		try {
			const value = String(Date.now());
			await this.#client.sendCommand(['SET', this.#probeKey, value, 'PX', String(PROBE_MS)], BUFFERS);
			const read = await this.#client.sendCommand<Buffer | null>(['GET', this.#probeKey], BUFFERS);
			if (read?.toString() !== value) throw new Error('the probe key did not read back');
		} catch (error) {
			throw new StoreUnavailableError('redis check failed', error);
		}
	}

	async getRoom(id: string): Promise<RoomRecord | null> {
		const fields = await this.#client.sendCommand<Field[]>(['HMGET', roomKeys(id).meta, 'keyCheck', 'createdAt', 'lastActive', 'size'], BUFFERS);
		return toRecord(id, fields);
	}

	async claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord> {
		const fields = await CLAIM.run<Field[]>(this.#client, [roomKeys(id).meta, ROOMS_KEY], [Buffer.from(keyCheck), String(now), id]);
		return toRecord(id, fields)!;
	}

	/** The snapshot and every entry after it, with the id of the last entry. */
	async loadShared(id: string): Promise<{ state: Uint8Array[]; through: string }> {
		const keys = roomKeys(id);
		const [throughBytes, snapshot, entries] = await LOAD.run<[Buffer, Buffer, StreamEntry[]]>(this.#client, [keys.meta, keys.snapshot, keys.log], []);
		let through = throughBytes.toString();
		const state: Uint8Array[] = snapshot.length > 0 ? [new Uint8Array(snapshot)] : [];
		for (const [entryId, fields] of entries) {
			const entry = entryId.toString();
			// Entries the snapshot covers are skipped (a trim may lag the snapshot in a future layout).
			if (compareIds(entry, through) <= 0) continue;
			const update = fields[fields.findIndex((field, i) => i % 2 === 0 && field.toString() === 'u') + 1];
			if (update) state.push(new Uint8Array(update));
			through = entry;
		}
		return { state, through };
	}

	async loadState(id: string): Promise<Uint8Array[]> {
		return (await this.loadShared(id)).state;
	}

	/** XADD and PUBLISH in one script; durable as Redis' appendfsync allows once the promise resolves. */
	async appendUpdate(id: string, update: Uint8Array): Promise<void> {
		await this.appendEntry(id, update);
	}

	/** Append and return the entry's id. */
	async appendEntry(id: string, update: Uint8Array): Promise<string> {
		const keys = roomKeys(id);
		const entry = await APPEND.run<Buffer>(this.#client, [keys.meta, keys.log], [Buffer.from(update.buffer, update.byteOffset, update.byteLength), keys.channel, this.#prefix]);
		return entry.toString();
	}

	/**
	 * Replace the snapshot and trim the log, under the room's lock. `snapshot` runs once the lock
	 * is held; false if another relay holds it or a newer snapshot is stored.
	 */
	async compactUnderLock(id: string, snapshot: () => { state: Uint8Array; through: string; size: number }): Promise<boolean> {
		const keys = roomKeys(id);
		const token = randomBytes(16).toString('hex');
		const locked = await this.#client.sendCommand<Buffer | null>(['SET', keys.lock, token, 'NX', 'PX', String(LOCK_MS)], BUFFERS);
		if (locked === null) return false;
		try {
			const { state, through, size } = snapshot();
			const written = await SNAPSHOT.run<number>(
				this.#client,
				[keys.meta, keys.log, keys.snapshot, keys.lock],
				[Buffer.from(state.buffer, state.byteOffset, state.byteLength), through, nextId(through), token, String(Date.now()), String(size)]
			);
			return written === 1;
		} finally {
			await UNLOCK.run(this.#client, [keys.lock], [token]).catch(() => {
				// The lock expires by itself.
			});
		}
	}

	/** RoomStore's snapshot (single writer, e.g. a tool): covers the whole log as it is now. */
	async saveSnapshot(id: string, state: Uint8Array, now: number): Promise<void> {
		const last = await this.#client.sendCommand<StreamEntry[]>(['XREVRANGE', roomKeys(id).log, '+', '-', 'COUNT', '1'], BUFFERS);
		const through = last.length > 0 ? last[0][0].toString() : BEFORE_ALL;
		const done = await this.compactUnderLock(id, () => ({ state, through, size: state.byteLength }));
		if (!done) throw new Error(`room ${id} is being compacted by a relay`);
		await this.touchRoom(id, now, state.byteLength);
	}

	async touchRoom(id: string, lastActive: number, size: number): Promise<void> {
		await TOUCH.run(this.#client, [roomKeys(id).meta, ROOMS_KEY], [String(lastActive), String(size), id]);
	}

	async listRooms(): Promise<RoomRecord[]> {
		const ids = (await this.#client.sendCommand<Buffer[]>(['ZRANGE', ROOMS_KEY, '0', '-1', 'REV'], BUFFERS)).map(String);
		const records = await Promise.all(ids.map((id) => this.getRoom(id)));
		return records.filter((record): record is RoomRecord => record !== null);
	}

	async deleteRoom(id: string): Promise<boolean> {
		const keys = roomKeys(id);
		await this.#client.sendCommand(['SET', keys.tombstone, String(Date.now())]);
		return (await DELETE.run<number>(this.#client, [keys.meta, keys.log, keys.snapshot, keys.lock, ROOMS_KEY], [id])) === 1;
	}

	async isDeleted(id: string): Promise<boolean> {
		return (await this.#client.sendCommand<number>(['EXISTS', roomKeys(id).tombstone])) === 1;
	}

	/** The connection is the caller's (RoomBus or the CLI), closed by it. */
	async close(): Promise<void> {}
}
