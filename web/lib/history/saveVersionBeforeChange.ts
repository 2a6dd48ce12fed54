import { saveVersion, type VersionReason } from '$shared/history/versionsApi';
import type { RoomSession } from '../room/RoomSession.svelte';

/** How long a big change waits for the relay's version before it goes ahead anyway. */
const WAIT_MS = 4000;

/**
 * Ask the relay to keep a version of the room before a big change (an import, a bulk delete, a
 * restore), so the change can be undone from History even after a reload. Never throws and never
 * holds the change up for long: offline, or with a view link, it resolves false and the change
 * goes ahead (the version taken when the room went quiet is still there).
 * @example await saveVersionBeforeChange(session, 'before-bulk-delete'); deleteItems(...)
 */
export async function saveVersionBeforeChange(session: RoomSession, reason: Extract<VersionReason, `before-${string}`>): Promise<boolean> {
	if (!session.canEdit || !navigator.onLine) return false;
	const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), WAIT_MS));
	const saved = saveVersion(location.origin, session.link.roomId, session.link.key, { reason }).then(
		() => true,
		() => false
	);
	return Promise.race([saved, timeout]);
}
