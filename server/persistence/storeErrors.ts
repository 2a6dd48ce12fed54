/** The error's system or SQLite code (`ENOSPC`, `EIO`, `SQLITE_FULL`, …), if it has one. */
function codeOf(cause: unknown): string | undefined {
	const code = (cause as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

/**
 * A store could not write (disk full, I/O error, damaged database): nothing of the write was
 * kept. The caller refuses what it was storing (the relay closes the sender with 1011) and the
 * process goes on; the store takes writes again once the cause is gone.
 */
export class StoreWriteError extends Error {
	/** `ENOSPC`, `EIO`, `SQLITE_FULL`, `SQLITE_CORRUPT`, … when the cause carried one. */
	readonly code: string | undefined;

	constructor(operation: string, cause: unknown) {
		super(`could not ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'StoreWriteError';
		this.code = codeOf(cause);
	}
}

/** The store's health check failed: it cannot read or write now (`/healthz` answers 503). */
export class StoreUnavailableError extends Error {
	readonly code: string | undefined;

	constructor(what: string, cause: unknown) {
		super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'StoreUnavailableError';
		this.code = codeOf(cause);
	}
}
