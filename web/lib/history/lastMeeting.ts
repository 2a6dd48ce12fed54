import type { VersionInfo } from '$shared/history/versionsApi';

/**
 * The version "since the last meeting" starts from: the newest one taken before today (local
 * time), so today's own versions do not hide what happened since last week; in a room whose
 * versions are all from today, the oldest of them.
 * @example lastMeetingVersion(versions, Date.now())
 */
export function lastMeetingVersion(versions: readonly VersionInfo[], now: number): VersionInfo | null {
	if (versions.length === 0) return null;
	const today = new Date(now);
	today.setHours(0, 0, 0, 0);
	const newestFirst = [...versions].sort((a, b) => b.takenAt - a.takenAt || b.id - a.id);
	return newestFirst.find((v) => v.takenAt < today.getTime()) ?? newestFirst[newestFirst.length - 1];
}
