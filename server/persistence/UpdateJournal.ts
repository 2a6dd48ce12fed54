import { closeSync, constants, ftruncateSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { encodeJournalRecord, parseJournal, type JournalRecord } from './journalRecord';

/** A write to the journal failed and the segment could not be cut back to its last whole record. */
export class JournalDamagedError extends Error {
	constructor(cause: unknown) {
		super(`update journal damaged: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'JournalDamagedError';
	}
}

/** `refinery.db.updates.<n>`: segment files of a database's journal, oldest first. */
export function journalSegments(databaseFile: string): string[] {
	const prefix = `${basename(databaseFile)}.updates.`;
	let names: string[];
	try {
		names = readdirSync(dirname(databaseFile));
	} catch {
		return [];
	}
	return names
		.filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
		.map((name) => ({ name, n: Number(name.slice(prefix.length)) }))
		.sort((a, b) => a.n - b.n)
		.map(({ name }) => join(dirname(databaseFile), name));
}

/**
 * Every whole record in a database's journal segments, oldest first; a torn or damaged tail of
 * a segment is dropped. A segment that disappears while being read was moved into SQLite.
 */
export function readJournal(databaseFile: string): JournalRecord[] {
	const records: JournalRecord[] = [];
	for (const path of journalSegments(databaseFile)) {
		let bytes: Buffer;
		try {
			bytes = readFileSync(path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw error;
		}
		records.push(...parseJournal(bytes).records);
	}
	return records;
}

/**
 * The append-only journal of a store that owns its data directory: framed update records (see
 * journalRecord.ts), one `write` each to a segment file opened with O_APPEND. When `append`
 * returns, the record is in the OS page cache, so it survives the process being killed: the
 * guarantee of a SQLite WAL commit with synchronous=NORMAL, for one system call instead of a
 * commit. `rotate` seals the current segment (to be moved into SQLite and deleted) and starts
 * the next, so appending never waits for a move.
 */
export class UpdateJournal {
	readonly #databaseFile: string;
	#path = '';
	#fd = -1;
	#next: number;
	/** Bytes of whole records in the current segment; a failed write is cut back to this. */
	#length = 0;
	#damaged: JournalDamagedError | null = null;

	/** Start a new segment after any that exist (the owner replays those first). */
	constructor(databaseFile: string) {
		this.#databaseFile = databaseFile;
		const existing = journalSegments(databaseFile);
		this.#next = existing.length > 0 ? Number(existing[existing.length - 1].split('.').pop()) + 1 : 1;
		this.#open();
	}

	#open(): void {
		const path = `${this.#databaseFile}.updates.${this.#next}`;
		this.#fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_TRUNC, 0o600);
		this.#next += 1;
		this.#path = path;
		this.#length = 0;
		this.#damaged = null;
	}

	/** Append one record; it survives a crash of the process once this returns. */
	append(roomId: string, seq: number, update: Uint8Array): void {
		if (this.#damaged) throw this.#damaged;
		const frame = encodeJournalRecord(roomId, seq, update);
		try {
			let written = 0;
			while (written < frame.length) written += writeSync(this.#fd, frame, written);
		} catch (error) {
			// A partial record must not stay in front of later ones: a reader stops at the first bad
			// record, so everything appended after it would be lost. Cut it off; if even that fails,
			// refuse further appends to this segment (the owner rotates or stores directly).
			try {
				ftruncateSync(this.#fd, this.#length);
			} catch (truncateError) {
				this.#damaged = new JournalDamagedError(truncateError);
			}
			throw error;
		}
		this.#length += frame.length;
	}

	/** Seal the current segment and start the next; returns the sealed segment's path. */
	rotate(): string {
		const sealed = { path: this.#path, fd: this.#fd };
		// The next segment is opened first: if that fails, appending goes on in the current one.
		this.#open();
		closeSync(sealed.fd);
		return sealed.path;
	}

	/** Close the current segment; `remove` deletes it (when everything in it is stored elsewhere). */
	close({ remove = false } = {}): void {
		closeSync(this.#fd);
		if (remove) rmSync(this.#path, { force: true });
	}
}
