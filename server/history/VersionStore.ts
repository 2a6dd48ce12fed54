import { VERSION_REASONS, type VersionInfo, type VersionReason } from '../../shared/history/versionsApi';

export { VERSION_REASONS, type VersionInfo, type VersionReason };

/** Reasons a client may give when it asks for a version (the others are the relay's own). */
export const CLIENT_REASONS: readonly VersionReason[] = ['manual', 'before-import', 'before-bulk-delete', 'before-restore'];

export function isVersionReason(value: unknown): value is VersionReason {
	return (VERSION_REASONS as readonly unknown[]).includes(value);
}

export interface NewVersion {
	takenAt: number;
	reason: VersionReason;
	name: string | null;
	/** See `inspectState`: equal for equal states, so an unchanged room is not versioned twice. */
	fingerprint: string;
	/** The room's whole state, one merged Yjs update, as stored (deflated: see versionCodec.ts). */
	state: Uint8Array;
}

/**
 * Where versions live: whole-room states by room, kept beside the rooms (SQLite or Redis).
 * Calls for one room are serialised by `Versions`, so implementations need no locking.
 */
export interface VersionStore {
	add(roomId: string, version: NewVersion): Promise<VersionInfo>;
	/** Newest first. */
	list(roomId: string): Promise<VersionInfo[]>;
	/** The state of one version, or null if the room has no such version. */
	read(roomId: string, id: number): Promise<Uint8Array | null>;
	/** The fingerprint of the room's newest version, or null if it has none. */
	newestFingerprint(roomId: string): Promise<string | null>;
	remove(roomId: string, ids: readonly number[]): Promise<void>;
	/** Every version of a room (the room was deleted). */
	removeRoom(roomId: string): Promise<void>;
	close(): Promise<void>;
}
