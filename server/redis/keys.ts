/**
 * Where a room lives in Redis. The room id sits in braces (a hash tag), so in a Redis that
 * shards by key every key of one room lands on the same node and a script may touch them all.
 */
export const roomKeys = (id: string) => ({
	/** Hash: keyCheck, createdAt, lastActive, size, and `through` (the last log entry in the snapshot). */
	meta: `refinery:{${id}}:meta`,
	/** Stream: every accepted update since the snapshot, field `u`, in one total order. */
	log: `refinery:{${id}}:log`,
	/** String: the snapshot (a Yjs state update). */
	snapshot: `refinery:{${id}}:snapshot`,
	/** String with an expiry: the compaction lock's token. */
	lock: `refinery:{${id}}:lock`,
	/** String: set when the room was deleted; its id is never claimed again. */
	tombstone: `refinery:{${id}}:tombstone`,
	/** Pub/sub channel: log entries as they are appended, presence, presence queries. */
	channel: `refinery:{${id}}:feed`
});

/** Sorted set of room ids by last activity: the registry's list. */
export const ROOMS_KEY = 'refinery:rooms';

/** Pub/sub channel for relay heartbeats. */
export const RELAYS_CHANNEL = 'refinery:relays';

/** The room id in a room's channel name, or null. */
export function roomOfChannel(channel: string): string | null {
	const match = /^refinery:\{([^}]+)\}:feed$/.exec(channel);
	return match ? match[1] : null;
}
