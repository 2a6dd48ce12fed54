import { BUFFERS, type RedisConnection } from '../redis/connection';
import { isVersionReason, type NewVersion, type VersionInfo, type VersionStore } from './VersionStore';

/**
 * Where a room's versions live in Redis, beside its other keys and under the same hash tag, so
 * a sharded Redis keeps a room's keys on one node.
 */
export const versionKeys = (roomId: string) => ({
	/** Sorted set of version ids (score = id), the list. */
	index: `refinery:{${roomId}}:versions`,
	/** Counter for version ids. */
	seq: `refinery:{${roomId}}:versions:seq`,
	/** Hash per version: takenAt, reason, name, size, fingerprint, data. */
	version: (id: number) => `refinery:{${roomId}}:version:${id}`
});

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
		const fields: Record<string, string | Buffer> = {
			takenAt: String(version.takenAt),
			reason: version.reason,
			size: String(version.state.byteLength),
			fingerprint: version.fingerprint,
			data: Buffer.from(version.state.buffer, version.state.byteOffset, version.state.byteLength)
		};
		if (version.name !== null) fields.name = version.name;
		await this.#client.multi().hSet(keys.version(id), fields).zAdd(keys.index, { score: id, value: String(id) }).exec();
		return { id, takenAt: version.takenAt, reason: version.reason, name: version.name, size: version.state.byteLength };
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
