import { SvelteSet } from 'svelte/reactivity';
import type { FirstPaint } from '../room/FirstPaint';
import { afterFirstPaint } from '../room/afterFirstPaint';
import type { RoomSession } from '../room/RoomSession.svelte';

/**
 * The rows' "changed since the last meeting" marks of one session: the ids, and how the history
 * dialog opens one of those items. Apart from `RoomHistory` (which fills them) so that the rows
 * read them without loading the history code, which comes after the first screen.
 */
export class UnreadMarks {
	/** Items changed since the last meeting that this person has not looked at. */
	readonly unread = new SvelteSet<string>();
	/**
	 * Opens an item in the detail pane. The header, where History lives, sits outside the room
	 * body's RoomUi context, so the rows' unread marks (inside it) lend it their `ui.open`.
	 */
	opener: ((itemId: string) => void) | null = null;
	#requested = false;

	/** Once the first screen is painted, load the history code and mark what changed since the last meeting (once). */
	request(session: RoomSession, firstPaint: FirstPaint): void {
		if (this.#requested) return;
		this.#requested = true;
		void afterFirstPaint(firstPaint, () => import('./RoomHistory.svelte')).then(({ roomHistory }) => roomHistory(session).loadUnread());
	}
}

const sessions = new WeakMap<RoomSession, UnreadMarks>();

/** The unread marks of a session's room (one per session, made on first use). */
export function unreadMarks(session: RoomSession): UnreadMarks {
	let marks = sessions.get(session);
	if (!marks) sessions.set(session, (marks = new UnreadMarks()));
	return marks;
}
