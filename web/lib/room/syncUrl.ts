/** The relay's endpoint on the origin the app was served from (one process, one port). */
export function defaultSyncUrl(): string {
	return location.origin.replace(/^http/, 'ws') + '/sync';
}

/** The socket URL y-websocket opens for a room (its server URL, a slash, the room's name; no parameters). */
export function roomSocketUrl(syncUrl: string, roomId: string): string {
	return `${syncUrl.replace(/\/+$/, '')}/${roomId}`;
}
