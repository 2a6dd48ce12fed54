import { createHash } from 'node:crypto';
import type { RedisArgument } from 'redis';
import { BUFFERS, type RedisConnection } from './connection';

/** A Lua script run with EVALSHA, sent in full once when Redis does not know it (first use, or after a restart). */
export class Script {
	readonly sha: string;
	constructor(readonly source: string) {
		this.sha = createHash('sha1').update(source).digest('hex');
	}

	async run<T>(client: RedisConnection, keys: string[], args: RedisArgument[]): Promise<T> {
		const tail = [String(keys.length), ...keys, ...args];
		try {
			return await client.sendCommand<T>(['EVALSHA', this.sha, ...tail], BUFFERS);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return client.sendCommand<T>(['EVAL', this.source, ...tail], BUFFERS);
		}
	}
}

/** The room is not registered (deleted while a relay held it): writes to it fail, as in SQLite. */
const ROOM_GONE = `return redis.error_reply('NOROOM room is not registered')`;

/**
 * Append one update to the room's log and publish it, atomically: every relay receives the
 * published entries in exactly the log's order, whoever appended them.
 * KEYS: meta, log. ARGV: update, channel, prefix of the published message (type + relay id).
 */
export const APPEND = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then ${ROOM_GONE} end
local id = redis.call('XADD', KEYS[2], '*', 'u', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3] .. id .. '\\n' .. ARGV[1])
return id`);

/** Snapshot, the id it runs through, and the log (all of it; entries up to that id are skipped by the reader). KEYS: meta, snapshot, log. */
export const LOAD = new Script(`
local through = redis.call('HGET', KEYS[1], 'through')
local snapshot = redis.call('GET', KEYS[2])
return { through or '0-0', snapshot or '', redis.call('XRANGE', KEYS[3], '-', '+') }`);

/**
 * Replace the snapshot and trim the log through the id it covers, only while the caller still
 * holds the compaction lock and never going back to an older snapshot.
 * KEYS: meta, log, snapshot, lock. ARGV: state, through, first id to keep, lock token, now, size.
 * Returns 1 when written, 0 when the lock was lost or a newer snapshot is already there.
 */
export const SNAPSHOT = new Script(`
if redis.call('GET', KEYS[4]) ~= ARGV[4] then return 0 end
if redis.call('EXISTS', KEYS[1]) == 0 then ${ROOM_GONE} end
local current = redis.call('HGET', KEYS[1], 'through')
if current then
	local cm, cs = string.match(current, '^(%d+)-(%d+)$')
	local tm, ts = string.match(ARGV[2], '^(%d+)-(%d+)$')
	cm, cs, tm, ts = tonumber(cm), tonumber(cs), tonumber(tm), tonumber(ts)
	if tm < cm or (tm == cm and ts < cs) then return 0 end
end
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'through', ARGV[2], 'size', ARGV[6], 'lastActive', ARGV[5])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
return 1`);

/** Register the room unless it exists; returns its record fields. KEYS: meta, rooms. ARGV: keyCheck, now, id. */
export const CLAIM = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then
	redis.call('HSET', KEYS[1], 'keyCheck', ARGV[1], 'createdAt', ARGV[2], 'lastActive', ARGV[2], 'size', '0')
	redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
end
return redis.call('HMGET', KEYS[1], 'keyCheck', 'createdAt', 'lastActive', 'size')`);

/** Record activity of a registered room (a deleted room is not brought back). KEYS: meta, rooms. ARGV: lastActive, size, id. */
export const TOUCH = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastActive', ARGV[1], 'size', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
return 1`);

/** Remove a room and everything stored for it; 1 if it existed. KEYS: meta, log, snapshot, lock, rooms. ARGV: id. */
export const DELETE = new Script(`
local existed = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[1])
return existed`);

/** Release a lock only if it still holds our token (it may have expired and been taken by another relay). KEYS: lock. ARGV: token. */
export const UNLOCK = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);
