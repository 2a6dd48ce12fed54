import { rmSync } from 'node:fs';
import { BODY_FIXED_BYTES, RECORD_HEADER_BYTES, type JournalRecord } from './journalRecord';
import type { StoreWorker } from './StoreWorker';
import { StoreWriteError } from './storeErrors';
import { JournalDamagedError, type UpdateJournal } from './UpdateJournal';

export interface JournalSpoolOptions {
	/** Seal the segment this many ms after its first record. */
	moveMs: number;
	/** Stores sealed segments off the event loop; null (or dead) means on this thread. */
	worker: StoreWorker | null;
	/** Store records in SQLite on this thread, in one transaction. */
	storeHere: (records: JournalRecord[]) => void;
	/** A segment never grows past this many bytes (unless one record is larger); default 64 MiB. */
	segmentBytes?: number;
}

/** A segment this large is sealed and moved at the next turn rather than at its timer. */
const SEAL_AT_RECORDS = 5000;
const SEAL_AT_BYTES = 4 * 1024 * 1024;
/**
 * No segment grows past this, even when nothing is waiting to be moved (every record already in
 * a snapshot) or appends come faster than turns: a reader after a crash reads bounded files.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const PROBE_MAX_BYTES = 1024 * 1024;
const RECORD_OVERHEAD_BYTES = RECORD_HEADER_BYTES + BODY_FIXED_BYTES;

/**
 * The owner's side of the journal: appends each record to the journal file and keeps it in
 * memory until it is stored in SQLite. Every `moveMs` the segment is sealed (appending goes on
 * in the next one) and handed to the worker, which stores it in one transaction and deletes it.
 */
export class JournalSpool {
	readonly #journal: UpdateJournal;
	readonly #options: JournalSpoolOptions;
	/** Records of the segment being appended to. */
	#current: JournalRecord[] = [];
	/** Sealed segments not yet stored (path → records), oldest first. */
	readonly #sealed = new Map<string, JournalRecord[]>();
	readonly #moving = new Set<Promise<void>>();
	/** Bytes of the last record the journal refused (0 once an append succeeds): the health probe's size. */
	#refusedBytes = 0;
	#sealTimer: NodeJS.Timeout | null = null;
	#sealSoon: NodeJS.Immediate | null = null;
	#closed = false;

	readonly #segmentBytes: number;

	constructor(journal: UpdateJournal, options: JournalSpoolOptions) {
		this.#journal = journal;
		this.#options = options;
		this.#segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
	}

	/** Records not yet stored in SQLite, oldest first. */
	waiting(): JournalRecord[] {
		return [...[...this.#sealed.values()].flat(), ...this.#current];
	}

	/** Append one record to the journal (durable once this returns) and schedule its move. */
	append(record: JournalRecord): void {
		// An upper bound of the record's size (a UTF-16 unit is at most 3 UTF-8 bytes): no byteLength on the hot path.
		const recordBytes = RECORD_OVERHEAD_BYTES + record.roomId.length * 3 + record.update.byteLength;
		if (this.#journal.bytes + recordBytes > this.#segmentBytes && this.#journal.holdsRecords) this.#seal();
		let stored: Uint8Array;
		try {
			try {
				stored = this.#journal.append(record.roomId, record.seq, record.update);
			} catch (error) {
				if (!(error instanceof JournalDamagedError)) throw error;
				// The segment ends in a partial record that could not be cut off: seal it (its whole
				// records are kept) and write this record to a fresh one.
				this.#sealDamaged();
				stored = this.#journal.append(record.roomId, record.seq, record.update);
			}
		} catch (error) {
			this.#refusedBytes = recordBytes;
			throw error;
		}
		this.#refusedBytes = 0;
		// Kept as the journal's copy, so the caller may reuse its buffer.
		this.#current.push({ roomId: record.roomId, seq: record.seq, update: stored });
		if (this.#current.length >= SEAL_AT_RECORDS || this.#journal.bytes >= SEAL_AT_BYTES) {
			this.#sealSoon ??= setImmediate(() => this.#seal());
		} else {
			this.#sealLater();
		}
	}

	/**
	 * Write a record of no room, to prove the journal takes writes (the store's health check).
	 * After a refused append the probe is as large as that record (up to 1 MiB): a few bytes
	 * fitting in the last block of a full disk prove nothing.
	 */
	probe(): void {
		const padding = new Uint8Array(Math.min(this.#refusedBytes, PROBE_MAX_BYTES));
		try {
			this.#journal.probe(padding);
		} catch (error) {
			if (!(error instanceof JournalDamagedError)) throw error;
			this.#sealDamaged();
			this.#journal.probe(padding);
		}
		this.#refusedBytes = 0;
		this.#sealLater();
	}

	#sealLater(): void {
		if (this.#sealTimer || this.#sealSoon) return;
		this.#sealTimer = setTimeout(() => this.#seal(), this.#options.moveMs);
		// The records are durable already: a pending move must not keep the process alive.
		this.#sealTimer.unref();
	}

	#sealDamaged(): void {
		if (this.#current.length > 0) this.#seal();
		else rmSync(this.#journal.rotate(), { force: true });
	}

	/** Drop a room's records from memory; the copies in segment files are skipped when stored. */
	forget(roomId: string): void {
		const others = (record: JournalRecord) => record.roomId !== roomId;
		if (!this.#current.every(others)) this.#current = this.#current.filter(others);
		for (const [path, records] of this.#sealed) if (!records.every(others)) this.#sealed.set(path, records.filter(others));
	}

	/** Seal the current segment and wait until every sealed one is stored in SQLite. */
	async drain(): Promise<void> {
		this.#seal();
		while (this.#moving.size > 0) await Promise.allSettled([...this.#moving]);
		// A move that failed on the worker is finished here, or its error reaches the caller.
		for (const path of [...this.#sealed.keys()]) this.#storeHere(path);
	}

	/** Drain, then close and delete the (empty) current segment; if the drain fails, delete nothing. */
	async close(): Promise<void> {
		try {
			await this.drain();
		} catch (error) {
			// Not stored in SQLite (say the disk is full): the segments keep every record and the
			// next start replays them. Close without deleting anything.
			this.#closed = true;
			this.#journal.close();
			throw new StoreWriteError('move the journal into the database (it is kept and replayed at the next start)', error);
		}
		this.#closed = true;
		this.#journal.close({ remove: true });
	}

	/**
	 * Seal the current segment (if it holds records) and move what of it is still waiting into
	 * SQLite. When nothing is (every record is in a snapshot, or its room is gone), the sealed file
	 * is deleted at once: this is what keeps a room that compacts at every update from growing
	 * one segment without end.
	 */
	#seal(): void {
		clearTimeout(this.#sealTimer ?? undefined);
		clearImmediate(this.#sealSoon ?? undefined);
		this.#sealTimer = null;
		this.#sealSoon = null;
		if (this.#closed || !this.#journal.holdsRecords) return;
		let path: string;
		try {
			path = this.#journal.rotate();
		} catch {
			// Could not start a new segment: keep appending to this one and try again later.
			this.#sealLater();
			return;
		}
		const records = this.#current;
		this.#current = [];
		if (records.length === 0) {
			try {
				rmSync(path, { force: true });
			} catch {
				// Harmless: its records are skipped when the next start replays it.
			}
			return;
		}
		this.#sealed.set(path, records);
		this.#move(path);
	}

	#move(path: string): void {
		const worker = this.#options.worker;
		if (!worker?.alive) {
			try {
				this.#storeHere(path);
			} catch {
				// Still in the journal and in memory; the next seal or drain tries again.
			}
			return;
		}
		const moving: Promise<void> = worker.move(path, this.#sealed.get(path)!).then(
			() => {
				this.#sealed.delete(path);
			},
			() => {
				// Left in #sealed: stored on this thread by the next drain.
			}
		);
		this.#moving.add(moving);
		void moving.finally(() => this.#moving.delete(moving));
	}

	/** Store a sealed segment on this thread and delete its file. */
	#storeHere(path: string): void {
		this.#options.storeHere(this.#sealed.get(path)!);
		this.#sealed.delete(path);
		rmSync(path, { force: true });
	}
}
