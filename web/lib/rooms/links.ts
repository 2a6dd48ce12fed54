import { isRoomId, newRoomId } from '$shared/ids';
import { keyKind, type Access } from './keys';

/** What a room link carries: which room, and the key that opens it. */
export interface RoomLink {
	roomId: string;
	key: string;
	access: Access;
}

/** The fragment letter of each access: `#k=` edits, `#v=` views. */
const LETTER: Record<Access, string> = { edit: 'k', view: 'v' };

/**
 * The key in a link's fragment (`#k=<editKey>` or `#v=<viewKey>`), or null when it is missing,
 * malformed, or of the other kind than its letter says.
 * @example parseKeyFragment('#k=q0CzZ…') // { key: 'q0CzZ…', access: 'edit' }
 */
export function parseKeyFragment(hash: string): { key: string; access: Access } | null {
	const match = /^#?([kv])=([A-Za-z0-9_-]+)$/.exec(hash.trim());
	if (!match) return null;
	const access = keyKind(match[2]);
	if (access === null || LETTER[access] !== match[1]) return null;
	return { key: match[2], access };
}

/**
 * A room link pasted by a person: a full URL (any host: the link may come from another server
 * name for the same machine) or a path `/r/<roomId>#k=…`. Null when it is not one.
 */
export function parseRoomLink(text: string): RoomLink | null {
	let url: URL;
	try {
		url = new URL(text.trim(), 'http://refinery.invalid');
	} catch {
		return null;
	}
	const match = /^\/r\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
	if (!match || !isRoomId(match[1])) return null;
	const fragment = parseKeyFragment(url.hash);
	return fragment && { roomId: match[1], ...fragment };
}

/** The app path of a room link; keys stay in the fragment so they never reach a server log. */
export function roomPath(link: RoomLink): string {
	return `/r/${link.roomId}#${LETTER[link.access]}=${link.key}`;
}

/** The absolute link to share, on the origin the app was opened from. */
export function roomUrl(origin: string, link: RoomLink): string {
	return origin + roomPath(link);
}

/** A new room: a random id and a random edit key, both made here so a room can start offline. */
export function newRoomLink(): RoomLink {
	return { roomId: newRoomId(), key: newRoomId(), access: 'edit' };
}
