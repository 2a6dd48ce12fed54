import { syncProtocols } from '$shared/wire/subprotocol';
import { hasStoredName } from '../identity/Identity.svelte';
import { parseRoomLink } from '../rooms/links';
import { openedHere } from '../rooms/RecentRooms.svelte';
import { openEarlySocket } from './earlySocket';
import { defaultSyncUrl, roomSocketUrl } from './syncUrl';

/**
 * When the app starts on a room's page (`/r/<id>#k=…`) and the person has a name (so the room
 * mounts at once), open the room's socket now, with the protocols the room session will ask
 * for: the provider takes it when the room mounts (earlySocket.ts), and the relay's answer
 * travels while the page's code loads and the room mounts.
 */
export function openRoomSocketEarly(href: string): void {
	const link = parseRoomLink(href);
	if (!link || !hasStoredName() || typeof WebSocket === 'undefined') return;
	openEarlySocket(roomSocketUrl(defaultSyncUrl(), link.roomId), syncProtocols(link.key, { fresh: !openedHere(link.roomId) }));
}
