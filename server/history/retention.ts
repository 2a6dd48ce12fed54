import type { VersionInfo } from './VersionStore';

const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;

/** How long versions are kept (VERSION_KEEP_ALL_DAYS, VERSION_MAX_BYTES); past `keepAllMs`, one a week. */
export interface RetentionPolicy {
	/** Every version younger than this is kept (30 days). */
	keepAllMs: number;
	/** A room's versions together stay under this many bytes: the oldest go first, never the newest. */
	maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepAllMs: 30 * DAY, maxBytes: 256 * 1024 * 1024 };

/**
 * The versions to drop (ids): every version of the last `keepAllMs` stays, older ones are thinned
 * to the newest of each week, and then the oldest go while the room's versions pass `maxBytes`.
 * Pure, so it is tested without a store.
 */
export function versionsToDrop(versions: readonly VersionInfo[], now: number, policy: RetentionPolicy): number[] {
	const newestFirst = [...versions].sort((a, b) => b.id - a.id);
	const drop = new Set<number>();
	const weeks = new Set<number>();
	for (const version of newestFirst) {
		if (now - version.takenAt < policy.keepAllMs) continue;
		const week = Math.floor(version.takenAt / WEEK);
		if (weeks.has(week)) drop.add(version.id);
		else weeks.add(week);
	}
	let total = newestFirst.filter((v) => !drop.has(v.id)).reduce((sum, v) => sum + v.size, 0);
	for (let i = newestFirst.length - 1; i > 0 && total > policy.maxBytes; i--) {
		const version = newestFirst[i];
		if (drop.has(version.id)) continue;
		drop.add(version.id);
		total -= version.size;
	}
	return [...drop].sort((a, b) => a - b);
}
