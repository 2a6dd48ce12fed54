import type { RoomLink } from '../rooms/links';

/**
 * The IndexedDB database holding this device's copy of a room. View-only sessions get their
 * own: a viewer's copy may hold changes the relay refused (a write forced from the console), and
 * an edit session on the same device must never load and re-send those.
 */
export function localDatabaseName(link: RoomLink): string {
	return link.access === 'edit' ? `refinery:${link.roomId}` : `refinery:view:${link.roomId}`;
}
