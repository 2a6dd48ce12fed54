import type { Presence } from './Presence.svelte';
import type { RoomUi } from './RoomUi.svelte';

/**
 * Open an item because this person asked for it (a click, a key): that ends following someone,
 * whose next move would otherwise take the pane back, and `Presence.stoppedFollowing` lets the
 * follow banner say so. Focus goes to the pane, as for any "Open" button.
 */
export function openByHand(ui: RoomUi, presence: Presence, itemId: string): void {
	if (presence.followed) presence.stopFollowing({ byOwnAction: true });
	ui.open(itemId, { focus: true });
}
