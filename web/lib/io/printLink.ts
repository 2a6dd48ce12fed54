import { roomPath, type RoomLink } from '../rooms/links';

/** The printable view of a room: `/r/<roomId>/print#k=…`, the key staying in the fragment. */
export function printPath(link: RoomLink): string {
	const path = roomPath(link);
	const hash = path.indexOf('#');
	return `${path.slice(0, hash)}/print${path.slice(hash)}`;
}
