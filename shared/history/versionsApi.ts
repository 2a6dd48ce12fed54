/**
 * The history API as both ends see it (server/history/httpApi.ts answers it; the web app and the
 * rooms CLI call it). The room key travels in the Authorization header, never in the URL, so
 * proxies and access logs never see it.
 */
import { decodeRoomState, PLAIN_STATE_TYPE } from './plainState';
import type { RoomState } from './roomState';

/** Why a version was taken. */
export const VERSION_REASONS = ['quiet', 'hourly', 'before-import', 'before-bulk-delete', 'before-restore', 'manual'] as const;
export type VersionReason = (typeof VERSION_REASONS)[number];

/** A version as listed: everything but its bytes. */
export interface VersionInfo {
	/** Grows with every version of the room; never reused. */
	id: number;
	takenAt: number;
	reason: VersionReason;
	name: string | null;
	/** Bytes it takes in the store (the state deflated). */
	size: number;
}

/** The API refused or failed: its HTTP status and message. */
export class VersionsApiError extends Error {
	override name = 'VersionsApiError';
	constructor(readonly status: number, message: string) {
		super(message);
	}
}

/** The path of a room's versions (and of one of them). */
export function versionsPath(roomId: string, versionId?: number): string {
	return `/api/rooms/${encodeURIComponent(roomId)}/versions${versionId === undefined ? '' : `/${versionId}`}`;
}

async function call(base: string, path: string, key: string, init: RequestInit = {}): Promise<Response> {
	const response = await fetch(new URL(path, base), { ...init, cache: 'no-store', headers: { ...init.headers, authorization: `Bearer ${key}` } });
	if (!response.ok) {
		let message = response.statusText;
		try {
			message = ((await response.json()) as { error?: string }).error ?? message;
		} catch {
			// A proxy's own error page: keep the status text.
		}
		throw new VersionsApiError(response.status, message);
	}
	return response;
}

/**
 * One version's plain state (`RoomState`), which the relay made when it took the version, for
 * comparing without decoding the version's Yjs bytes. A 422 means the version was too large to
 * make one for.
 * @example changesBetween(await readVersionState(origin, roomId, key, 12), readRoomState(doc))
 */
export async function readVersionState(base: string, roomId: string, key: string, versionId: number): Promise<RoomState> {
	const response = await call(base, versionsPath(roomId, versionId), key, { headers: { accept: PLAIN_STATE_TYPE } });
	return decodeRoomState(await response.json());
}

/** A room's versions, newest first. */
export async function listVersions(base: string, roomId: string, key: string): Promise<VersionInfo[]> {
	return ((await (await call(base, versionsPath(roomId), key)).json()) as { versions: VersionInfo[] }).versions;
}

/** One version's state (a Yjs update of the whole room). */
export async function readVersion(base: string, roomId: string, key: string, versionId: number): Promise<Uint8Array> {
	return new Uint8Array(await (await call(base, versionsPath(roomId, versionId), key)).arrayBuffer());
}

/**
 * Ask the relay to save a version now (an edit key only). `taken` is false when the room has not
 * changed since its newest version, which is returned instead.
 */
export async function saveVersion(
	base: string,
	roomId: string,
	key: string,
	body: { reason?: VersionReason; name?: string } = {}
): Promise<{ version: VersionInfo; taken: boolean }> {
	const response = await call(base, versionsPath(roomId), key, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return (await response.json()) as { version: VersionInfo; taken: boolean };
}
