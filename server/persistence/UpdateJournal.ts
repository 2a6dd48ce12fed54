import { closeSync, constants, ftruncateSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SEGMENT_HEADER_BYTES, encodeJournalRecord, encodeSegmentHeader, newSegmentSalt, type JournalRecord } from './journalRecord';
import { readSegmentFile, type SkippedBytes } from './segmentReader';
import { StoreWriteError } from './storeErrors';

/** A write to the journal failed and the segment could not be cut back to its last whole record. */
export class JournalDamagedError extends StoreWriteError {
	constructor(cause: unknown) {
		super('append to the update journal, nor cut back the partial record', cause);
		this.name = 'JournalDamagedError';
	}
}

/** Bytes a reader passed over in one segment file. */
export interface SegmentSkip extends SkippedBytes {
	segment: string;
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
 * Every whole record in a database's journal segments, oldest first, read record by record
 * (segmentReader.ts). A segment that disappears meanwhile was moved into SQLite.
 */
export function* journalRecords(databaseFile: string, onSkip?: (skip: SegmentSkip) => void): Generator<JournalRecord> {
	for (const segment of journalSegments(databaseFile)) {
		yield* readSegmentFile(segment, onSkip && ((skipped) => onSkip({ segment, ...skipped })));
	}
}

/** The journal's records for one room (what a reader beside the owner adds to the table's). */
export function readJournal(databaseFile: string, roomId: string, onSkip?: (skip: SegmentSkip) => void): JournalRecord[] {
	const records: JournalRecord[] = [];
	for (const record of journalRecords(databaseFile, onSkip)) if (record.roomId === roomId) records.push(record);
	return records;
}

/** Room id of probe records (`UpdateJournal.probe`): no room has it, so replay skips them. */
export const PROBE_ROOM_ID = '';

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
	#salt = 0;
	#next: number;
	/** Bytes of the header and whole records in the current segment; a failed write is cut back to this. */
	#length = 0;
	#damaged: JournalDamagedError | null = null;

	/** Start a new segment after any that exist (the owner replays those first). */
	constructor(databaseFile: string) {
		this.#databaseFile = databaseFile;
		const existing = journalSegments(databaseFile);
		this.#next = existing.length > 0 ? Number(existing[existing.length - 1].split('.').pop()) + 1 : 1;
		this.#open();
	}

	/** Bytes in the current segment, its header included. */
	get bytes(): number {
		return this.#length;
	}

	/** True when the current segment holds a record (not only its header). */
	get holdsRecords(): boolean {
		return this.#length > SEGMENT_HEADER_BYTES;
	}

	/** Open the next segment and write its header; on failure the current one stays. */
	#open(): void {
		const path = `${this.#databaseFile}.updates.${this.#next}`;
		this.#next += 1;
		const salt = newSegmentSalt();
		let fd: number;
		try {
			fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_TRUNC, 0o600);
		} catch (error) {
			throw new StoreWriteError(`create journal segment ${path}`, error);
		}
		try {
			const header = encodeSegmentHeader(salt);
			let written = 0;
			while (written < header.length) written += writeSync(fd, header, written);
		} catch (error) {
			closeSync(fd);
			rmSync(path, { force: true });
			throw new StoreWriteError(`start journal segment ${path}`, error);
		}
		this.#fd = fd;
		this.#path = path;
		this.#salt = salt;
		this.#length = SEGMENT_HEADER_BYTES;
		this.#damaged = null;
	}

	/**
	 * Append one record; it survives a crash of the process once this returns. Returns the update's
	 * bytes inside the written frame: a copy the caller's buffer no longer affects, for free.
	 */
	append(roomId: string, seq: number, update: Uint8Array): Uint8Array {
		if (this.#damaged) throw this.#damaged;
		const frame = encodeJournalRecord(roomId, seq, update, this.#salt);
		try {
			let written = 0;
			while (written < frame.length) written += writeSync(this.#fd, frame, written);
		} catch (error) {
			// A partial record must not stay in front of later ones (a reader would have to scan past
			// it). Cut it off; if even that fails, refuse further appends to this segment (the owner
			// starts a new one).
			try {
				ftruncateSync(this.#fd, this.#length);
			} catch (truncateError) {
				this.#damaged = new JournalDamagedError(truncateError);
				throw this.#damaged;
			}
			throw new StoreWriteError('append to the update journal', error);
		}
		this.#length += frame.length;
		return frame.subarray(frame.length - update.byteLength);
	}

	/**
	 * Write a record that belongs to no room: proves the disk takes writes (the health check).
	 * Replay skips it, as it skips records of deleted rooms.
	 */
	probe(padding = new Uint8Array(0)): void {
		void this.append(PROBE_ROOM_ID, 0, padding);
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
