import { openRoomSocketEarly } from '$lib/room/openRoomEarly';

/** Runs once when the app starts in the browser, before the first page loads. */
export function init(): void {
	// A room's data travels while the page's code loads and the room mounts.
	openRoomSocketEarly(location.href);
}
