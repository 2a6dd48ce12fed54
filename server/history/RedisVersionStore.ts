import { BUFFERS, type RedisConnection } from '../redis/connection';
import { Script } from '../redis/scripts';
import { isVersionReason, storedSize, type NewVersion, type VersionInfo, type VersionStore } from './VersionStore';

/**
 * Where a room's versions live in Redis, beside its other keys and under the same hash tag, so
 * a sharded Redis keeps a room's keys on one node.
 */
export const versionKeys = (roomId: string) => ({
	/** Sorted set of version ids (score = id), the list. */
	index: `refinery:{${roomId}}:versions`,
	/** Counter for version ids. */
	seq: `refinery:{${roomId}}:versions:seq`,
	/** Hash per version: takenAt, reason, name, size, fingerprint, data, plain. */
	version: (id: number) => `refinery:{${roomId}}:version:${id}`
});

/**
 * Add a version unless the room's newest has the same fingerprint, in one step, so two relays
 * that version the same state (both saw the room go quiet) store it once. The version hashes
 * are found from a prefix: they share the room's hash tag, so they sit in the same slot.
 * KEYS: index, seq. ARGV: version key prefix, fingerprint, takenAt, reason, name ('' for none),
 * size, data, plain, whether plain is given ('1'). Returns { 1, new id } or { 0, newest id }.
 */
const ADD_IF_CHANGED = new Script(`
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0)[1]
if newest and redis.call('HGET', ARGV[1] .. newest, 'fingerprint') == ARGV[2] then return { 0, tonumber(newest) } end
local id = redis.call('INCR', KEYS[2])
local key = ARGV[1] .. id
redis.call('HSET', key, 'takenAt', ARGV[3], 'reason', ARGV[4], 'size', ARGV[6], 'fingerprint', ARGV[2], 'data', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', key, 'name', ARGV[5]) end
if ARGV[9] == '1' then redis.call('HSET', key, 'plain', ARGV[8]) end
redis.call('ZADD', KEYS[1], id, id)
return { 1, id }`);

/** Keep a plain state made later, once, on a version that still exists. KEYS: version. ARGV: plain, its size. */
const SET_PLAIN = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'plain', ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'size', ARGV[2]) end
return 1`);

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

type Field = Buffer | null;

/** Versions in the Redis that the relays share (REDIS_URL), so every relay lists and restores the same ones. */
export class RedisVersionStore implements VersionStore {
	readonly #client: RedisConnection;

	constructor(client: RedisConnection) {
		this.#client = client;
	}

	async add(roomId: string, version: NewVersion): Promise<VersionInfo> {
		const keys = versionKeys(roomId);
		const id = Number(await this.#client.incr(keys.seq));
		const size = storedSize(version);
		const fields: Record<string, string | Buffer> = {
			takenAt: String(version.takenAt),
			reason: version.reason,
			size: String(size),
			fingerprint: version.fingerprint,
			data: asBuffer(version.state)
		};
		if (version.name !== null) fields.name = version.name;
		if (version.plain !== null) fields.plain = asBuffer(version.plain);
		await this.#client.multi().hSet(keys.version(id), fields).zAdd(keys.index, { score: id, value: String(id) }).exec();
		return { id, takenAt: version.takenAt, reason: version.reason, name: version.name, size };
	}
	async addIfChanged(roomId: string, version: NewVersion): Promise<{ version: VersionInfo; added: boolean }> {
		const keys = versionKeys(roomId);
		const size = storedSize(version);
		const [added, id] = await ADD_IF_CHANGED.run<[number, number]>(this.#client, [keys.index, keys.seq], [
			keys.version(0).slice(0, -1),
			version.fingerprint,
			String(version.takenAt),
			version.reason,
			version.name ?? '',
			String(size),
			asBuffer(version.state),
			version.plain ? asBuffer(version.plain) : '',
			version.plain ? '1' : '0'
		]);
		if (added === 1) return { version: { id, takenAt: version.takenAt, reason: version.reason, name: version.name, size }, added: true };
		const newest = (await this.list(roomId)).find((v) => v.id === id);
		if (!newest) throw new Error(`version ${id} of room ${roomId} vanished`);
		return { version: newest, added: false };
	}
	async readPlain(roomId: string, id: number): Promise<{ plain: Uint8Array | null } | null> {
		const [takenAt, plain] = await this.#client.sendCommand<[Field, Field]>(['HMGET', versionKeys(roomId).version(id), 'takenAt', 'plain'], BUFFERS);
		if (takenAt === null) return null;
		return { plain: plain && new Uint8Array(plain) };
	}
	async setPlain(roomId: string, id: number, plain: Uint8Array): Promise<void> {
		// Two relays filling in the same version keep one, counted once; a dropped version stays dropped.
		await SET_PLAIN.run(this.#client, [versionKeys(roomId).version(id)], [asBuffer(plain), String(plain.byteLength)]);
	}

	async list(roomId: string): Promise<VersionInfo[]> {
		const keys = versionKeys(roomId);
		const ids = (await this.#client.zRange(keys.index, 0, -1, { REV: true })).map(Number);
		if (ids.length === 0) return [];
		const multi = this.#client.multi();
		for (const id of ids) multi.hmGet(keys.version(id), ['takenAt', 'reason', 'name', 'size']);
		const rows = (await multi.exec()) as unknown as (string | null)[][];
		const out: VersionInfo[] = [];
		rows.forEach(([takenAt, reason, name, size], i) => {
			if (takenAt === null || !isVersionReason(reason)) return;
			out.push({ id: ids[i], takenAt: Number(takenAt), reason, name: name ?? null, size: Number(size) });
		});
		return out;
	}

	async read(roomId: string, id: number): Promise<Uint8Array | null> {
		const data = await this.#client.sendCommand<Field>(['HGET', versionKeys(roomId).version(id), 'data'], BUFFERS);
		return data ? new Uint8Array(data) : null;
	}

	async newestFingerprint(roomId: string): Promise<string | null> {
		const keys = versionKeys(roomId);
		const [newest] = await this.#client.zRange(keys.index, 0, 0, { REV: true });
		if (newest === undefined) return null;
		return (await this.#client.hGet(keys.version(Number(newest)), 'fingerprint')) ?? null;
	}

	async remove(roomId: string, ids: readonly number[]): Promise<void> {
		if (ids.length === 0) return;
		const keys = versionKeys(roomId);
		await this.#client
			.multi()
			.del(ids.map((id) => keys.version(id)))
			.zRem(keys.index, ids.map(String))
			.exec();
	}

	async removeRoom(roomId: string): Promise<void> {
		const keys = versionKeys(roomId);
		const ids = (await this.#client.zRange(keys.index, 0, -1)).map(Number);
		await this.#client.del([keys.index, keys.seq, ...ids.map((id) => keys.version(id))]);
	}

	/** The connection belongs to whoever made it (the relay's bus or the CLI). */
	async close(): Promise<void> {}
}
