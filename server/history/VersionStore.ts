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
	/**
	 * The state as plain data for comparing (gzipped JSON: server/history/plainStateOf.ts); null
	 * when not made yet, `NO_PLAIN_STATE` when it could not be made within its budget.
	 */
	plain: Uint8Array | null;
}

/** Stored in place of a plain state that was over its time, heap or size budget: not tried again. */
export const NO_PLAIN_STATE = new Uint8Array(0);

/** A version's stored bytes count against the room's budget: its state and its plain state. */
export const storedSize = (version: Pick<NewVersion, 'state' | 'plain'>): number => version.state.byteLength + (version.plain?.byteLength ?? 0);

/**
 * Where versions live: whole-room states by room, kept beside the rooms (SQLite or Redis).
 * Calls for one room are serialised by `Versions` within one process; across relays (Redis),
 * `addIfChanged` is the one step that must be atomic.
 */
export interface VersionStore {
	add(roomId: string, version: NewVersion): Promise<VersionInfo>;
	/**
	 * Add the version unless the room's newest one has the same fingerprint, which is returned
	 * instead: one atomic step, so two relays holding the same room (Redis) that both version the
	 * same state store it once.
	 */
	addIfChanged(roomId: string, version: NewVersion): Promise<{ version: VersionInfo; added: boolean }>;
	/** Newest first. */
	list(roomId: string): Promise<VersionInfo[]>;
	/** The state of one version, or null if the room has no such version. */
	read(roomId: string, id: number): Promise<Uint8Array | null>;
	/** A version's plain state: null if the room has no such version, `plain: null` if none was made. */
	readPlain(roomId: string, id: number): Promise<{ plain: Uint8Array | null } | null>;
	/** Keep a plain state made later for a version (one taken before plain states were kept). */
	setPlain(roomId: string, id: number, plain: Uint8Array): Promise<void>;
	/** The fingerprint of the room's newest version, or null if it has none. */
	newestFingerprint(roomId: string): Promise<string | null>;
	remove(roomId: string, ids: readonly number[]): Promise<void>;
	/** Every version of a room (the room was deleted). */
	removeRoom(roomId: string): Promise<void>;
	close(): Promise<void>;
}
