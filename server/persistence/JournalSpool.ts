import { rmSync } from 'node:fs';
import type { JournalRecord } from './journalRecord';
import type { StoreWorker } from './StoreWorker';
import { JournalDamagedError, type UpdateJournal } from './UpdateJournal';

export interface JournalSpoolOptions {
	/** Seal the segment this many ms after its first record. */
	moveMs: number;
	/** Stores sealed segments off the event loop; null (or dead) means on this thread. */
	worker: StoreWorker | null;
	/** Store records in SQLite on this thread, in one transaction. */
	storeHere: (records: JournalRecord[]) => void;
}

/** A segment this large is sealed and moved at once rather than at its timer. */
const SEAL_AT_RECORDS = 5000;
const SEAL_AT_BYTES = 4 * 1024 * 1024;

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
	#currentBytes = 0;
	/** Sealed segments not yet stored (path → records), oldest first. */
	readonly #sealed = new Map<string, JournalRecord[]>();
	readonly #moving = new Set<Promise<void>>();
	#sealTimer: NodeJS.Timeout | null = null;
	#sealSoon: NodeJS.Immediate | null = null;
	#closed = false;

	constructor(journal: UpdateJournal, options: JournalSpoolOptions) {
		this.#journal = journal;
		this.#options = options;
	}

	/** Records not yet stored in SQLite, oldest first. */
	waiting(): JournalRecord[] {
		return [...[...this.#sealed.values()].flat(), ...this.#current];
	}

	/** Append one record to the journal (durable once this returns) and schedule its move. */
	append(record: JournalRecord): void {
		try {
			this.#journal.append(record.roomId, record.seq, record.update);
		} catch (error) {
			if (!(error instanceof JournalDamagedError)) throw error;
			// The segment ends in a partial record that could not be cut off: seal it (its whole
			// records are kept) and write this record to a fresh one.
			if (this.#current.length > 0) this.#seal();
			else rmSync(this.#journal.rotate(), { force: true });
			this.#journal.append(record.roomId, record.seq, record.update);
		}
		this.#current.push(record);
		this.#currentBytes += record.update.byteLength;
		if (this.#current.length >= SEAL_AT_RECORDS || this.#currentBytes >= SEAL_AT_BYTES) {
			this.#sealSoon ??= setImmediate(() => this.#seal());
		} else if (!this.#sealTimer) {
			this.#sealTimer = setTimeout(() => this.#seal(), this.#options.moveMs);
			// The records are durable already: a pending move must not keep the process alive.
			this.#sealTimer.unref();
		}
	}

	/** Drop a room's records from memory; the copies in segment files are skipped when stored. */
	forget(roomId: string): void {
		const others = (record: JournalRecord) => record.roomId !== roomId;
		if (!this.#current.every(others)) {
			this.#current = this.#current.filter(others);
			this.#currentBytes = this.#current.reduce((sum, record) => sum + record.update.byteLength, 0);
		}
		for (const [path, records] of this.#sealed) if (!records.every(others)) this.#sealed.set(path, records.filter(others));
	}

	/** Seal the current segment and wait until every sealed one is stored in SQLite. */
	async drain(): Promise<void> {
		this.#seal();
		while (this.#moving.size > 0) await Promise.allSettled([...this.#moving]);
		// A move that failed on the worker is finished here, or its error reaches the caller.
		for (const path of [...this.#sealed.keys()]) this.#storeHere(path);
	}

	/** Drain, then close and delete the (empty) current segment. */
	async close(): Promise<void> {
		await this.drain();
		this.#closed = true;
		this.#journal.close({ remove: true });
	}

	/** Seal the current segment (if it holds records) and move it into SQLite. */
	#seal(): void {
		clearTimeout(this.#sealTimer ?? undefined);
		clearImmediate(this.#sealSoon ?? undefined);
		this.#sealTimer = null;
		this.#sealSoon = null;
		if (this.#closed || this.#current.length === 0) return;
		let path: string;
		try {
			path = this.#journal.rotate();
		} catch {
			// Could not start a new segment: keep appending to this one and try again later.
			this.#sealTimer = setTimeout(() => this.#seal(), this.#options.moveMs);
			this.#sealTimer.unref();
			return;
		}
		this.#sealed.set(path, this.#current);
		this.#current = [];
		this.#currentBytes = 0;
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
