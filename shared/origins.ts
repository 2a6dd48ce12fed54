/**
 * Who made a change. Every writer runs in one `doc.transact(fn, origin)`, and the
 * undo manager tracks only the one `LocalOrigin` object of its own session, so an
 * origin must be created once per session and reused (identity matters to Yjs).
 */
export type Origin = LocalOrigin | RemoteOrigin | ImportOrigin | SystemOrigin;

export interface LocalOrigin {
	readonly kind: 'local';
	/** The person's stable id on this device. */
	readonly userId: string;
}
export interface RemoteOrigin {
	readonly kind: 'remote';
}
export interface ImportOrigin {
	readonly kind: 'import';
	/** Where the import came from, for logs: a file name, "json", "csv". */
	readonly source: string;
}
export interface SystemOrigin {
	readonly kind: 'system';
	/** Why the system wrote: "migration", "rank-repair". */
	readonly reason: string;
}

/** Make the one origin object a user's session writes with. */
export function localOrigin(userId: string): LocalOrigin {
	return Object.freeze({ kind: 'local', userId });
}

export const remoteOrigin: RemoteOrigin = Object.freeze({ kind: 'remote' });

/** @example importOrigin('backlog.csv') */
export function importOrigin(source: string): ImportOrigin {
	return Object.freeze({ kind: 'import', source });
}

export function systemOrigin(reason: string): SystemOrigin {
	return Object.freeze({ kind: 'system', reason });
}

/** True for changes a person made by hand on this device: the only ones undo may revert. */
export function isUserChange(origin: unknown): origin is LocalOrigin {
	return typeof origin === 'object' && origin !== null && (origin as Origin).kind === 'local';
}
