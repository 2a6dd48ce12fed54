import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from './journalRecord';
import type { RoomRecord, RoomStore, StoredState } from './RoomStore';
import { JournalSpool } from './JournalSpool';
import { readSegmentFile } from './segmentReader';
import { StoreUnavailableError, StoreWriteError } from './storeErrors';
import { StoreWorker } from './StoreWorker';
import { UpdateJournal, journalSegments, readJournal, type SegmentSkip } from './UpdateJournal';

/** Where the store reports what it skipped while reading the journal (pino's logger fits). */
export interface StoreLogger {
	info(details: object, message: string): void;
	warn(details: object, message: string): void;
}

/** Without a logger, one JSON line on stderr (never stdout: the rooms CLI writes exports there). */
const STDERR_LOGGER: StoreLogger = {
	info: () => {},
	warn: (details, message) => process.stderr.write(JSON.stringify({ level: 'warn', msg: message, ...details }) + '\n')
};

/** What the owner found in the journal segments a previous process left. */
export interface JournalReplay {
	segments: number;
	records: number;
	/** Stretches passed over: damaged records (`tail: false`) and torn last writes. */
	skipped: SegmentSkip[];
}

export interface SqliteStoreOptions {
	/**
	 * Checkpoint the WAL from a worker thread every this many ms instead of inside a commit (the
	 * relay turns this on). Often (100 ms): a short checkpoint usually catches up with the writer,
	 * which lets SQLite rewind the WAL instead of growing it.
	 */
	backgroundCheckpointMs?: number;
	/**
	 * `'own'` (what `open` uses; the relay): this store is the data directory's only writer. Updates
	 * go to the journal, one write each, and move into SQLite in batches on a worker thread;
	 * segments left by a killed process are replayed on open. `'read'` (the constructor's default;
	 * the rooms CLI, which may run beside a live relay): the journal is read, to include records
	 * not yet moved, and never changed.
	 */
	journal?: 'own' | 'read';
	/** Seal the journal segment and move it into SQLite this many ms after its first record (default 500). */
	journalMoveMs?: number;
	/** Start a new journal segment before one passes this many bytes (default 64 MiB). */
	journalSegmentBytes?: number;
	/** Where damaged journal records are reported; JSON lines on stderr by default. */
	logger?: StoreLogger;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	id TEXT PRIMARY KEY,
	key_check BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	last_active INTEGER NOT NULL,
	size INTEGER NOT NULL DEFAULT 0
);
-- seq: the last log position the snapshot covers. Positions only grow, across snapshots and
-- restarts, so a journal record at or below it is already in the snapshot.
CREATE TABLE IF NOT EXISTS snapshots (
	room_id TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
	data BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	seq INTEGER NOT NULL DEFAULT 0,
	-- The encoded state vector of data (NULL if saved without one): a room loads without decoding it.
	state_vector BLOB
);
-- Clustered by room: an append writes one b-tree (no rowid table, index or sequence to
-- update as well), and loading or dropping a room's log is a range.
CREATE TABLE IF NOT EXISTS updates (
	room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
-- One row, written and read back by the health check.
CREATE TABLE IF NOT EXISTS health (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	checked_at INTEGER NOT NULL
);
-- Ids of deleted rooms: never claimed again.
CREATE TABLE IF NOT EXISTS tombstones (
	id TEXT PRIMARY KEY,
	deleted_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Replayed records are stored in transactions of at most this many bytes, so replay memory is bounded. */
const REPLAY_BATCH_BYTES = 16 * 1024 * 1024;
const REPLAY_BATCH_RECORDS = 5000;
/** The database, its WAL and shared-memory files: room keys' checks and every room's content. */
const DATABASE_FILE_MODE = 0o600;
const DATA_DIR_MODE = 0o700;

/**
 * How a journal record enters the log, with parameters (room id, seq, data, room id, seq, room id).
 * Skipped when the room is gone (deleted, perhaps by the rooms CLI), when a snapshot already
 * covers it, or when it is stored already (a crash between a move's commit and deleting the
 * segment, then a replay).
 */
const STORE_JOURNALED_SQL = `INSERT OR IGNORE INTO updates (room_id, seq, data) SELECT ?, ?, ?
WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?) AND ? > COALESCE((SELECT seq FROM snapshots WHERE room_id = ?), 0)`;

interface RoomRow {
	id: string;
	key_check: Buffer;
	created_at: number;
	last_active: number;
	size: number;
}

const toRecord = (row: RoomRow): RoomRecord => ({
	id: row.id,
	keyCheck: new Uint8Array(row.key_check),
	createdAt: row.created_at,
	lastActive: row.last_active,
	size: row.size
});

/** The database file inside a data directory. */
export function databasePath(dataDir: string): string {
	return join(dataDir, 'refinery.db');
}

/** An update was logged for a room the registry does not hold (never claimed, or deleted). */
export class UnknownRoomError extends Error {
	constructor(id: string) {
		super(`no room ${id} in the store`);
		this.name = 'UnknownRoomError';
	}
}

/** Databases made before snapshots recorded their log position get the column (0: covers nothing). */
function migrate(db: Database.Database): void {
	const columns = db.pragma('table_info(snapshots)') as { name: string }[];
	if (!columns.some((column) => column.name === 'seq')) db.exec('ALTER TABLE snapshots ADD COLUMN seq INTEGER NOT NULL DEFAULT 0');
	if (!columns.some((column) => column.name === 'state_vector')) db.exec('ALTER TABLE snapshots ADD COLUMN state_vector BLOB');
}

/**
 * RoomStore on one SQLite file in WAL mode (synchronous=NORMAL) plus, for the owner, an update
 * journal beside it (UpdateJournal.ts). An update is durable when `appendUpdate` returns: one
 * write to the journal puts it in the OS page cache, which survives the process being killed
 * (like a WAL commit with synchronous=NORMAL; the last writes could be lost on power loss).
 * Every `journalMoveMs` the segment is sealed and a worker thread stores its records in the
 * `updates` table in one transaction, then deletes it: a commit per batch, off the event loop,
 * instead of one per update on it. Records stay in memory until stored, so `loadState` sees them.
 */
export class SqliteStore implements RoomStore {
	readonly #db: Database.Database;
	readonly #file: string;
	readonly #statements;
	readonly #storeJournaled: (records: JournalRecord[]) => void;
	readonly #replaceSnapshot: (id: string, state: Uint8Array, now: number, seq: number, stateVector: Uint8Array | null) => void;
	/** Leave a tombstone and drop the room in one transaction; true if there was a room. */
	readonly #buryRoom: (id: string) => boolean;
	/** Last log position per room; this process is the only writer, so it is kept in memory. */
	readonly #seq = new Map<string, number>();
	/** Rooms known to be registered, so an append needs no query. */
	readonly #known = new Set<string>();
	readonly #worker: StoreWorker | null = null;
	/** Set when this store owns the journal. */
	readonly #spool: JournalSpool | null = null;
	readonly #logger: StoreLogger;
	/** What opening found in the journal (owner only). */
	readonly replay: JournalReplay = { segments: 0, records: 0, skipped: [] };

	constructor(file: string, options: SqliteStoreOptions = {}) {
		this.#file = file;
		this.#logger = options.logger ?? STDERR_LOGGER;
		const owner = options.journal === 'own';
		// Created private before SQLite opens it: SQLite gives the -wal and -shm files the
		// database's mode. An existing database is made private by its owner.
		if (!existsSync(file)) closeSync(openSync(file, 'a', DATABASE_FILE_MODE));
		else if (owner) restrictMode(file);
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = NORMAL');
		this.#db.pragma('foreign_keys = ON');
		this.#db.exec(SCHEMA);
		migrate(this.#db);
		const db = this.#db;
		this.#statements = {
			getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
			insertRoom: db.prepare('INSERT OR IGNORE INTO rooms (id, key_check, created_at, last_active, size) VALUES (?, ?, ?, ?, 0)'),
			snapshot: db.prepare<[string], { data: Buffer; seq: number; state_vector: Buffer | null }>('SELECT data, seq, state_vector FROM snapshots WHERE room_id = ?'),
			updates: db.prepare<[string, number], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE room_id = ? AND seq > ? ORDER BY seq'),
			append: db.prepare('INSERT INTO updates (room_id, seq, data) VALUES (?, ?, ?)'),
			storeJournaled: db.prepare(STORE_JOURNALED_SQL),
			lastSeq: db.prepare<[string, string], { seq: number }>(
				'SELECT MAX(COALESCE((SELECT MAX(seq) FROM updates WHERE room_id = ?), 0), COALESCE((SELECT seq FROM snapshots WHERE room_id = ?), 0)) AS seq'
			),
			putSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (room_id, data, created_at, seq, state_vector) VALUES (?, ?, ?, ?, ?)'),
			dropUpdates: db.prepare('DELETE FROM updates WHERE room_id = ? AND seq <= ?'),
			touch: db.prepare('UPDATE rooms SET last_active = ?, size = ? WHERE id = ?'),
			list: db.prepare<[], RoomRow>('SELECT * FROM rooms ORDER BY last_active DESC'),
			delete: db.prepare('DELETE FROM rooms WHERE id = ?'),
			probeWrite: db.prepare('INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at'),
			probeRead: db.prepare<[], { checked_at: number }>('SELECT checked_at FROM health WHERE id = 1'),
			// The registry's index and first table page: every connection's first read.
			probeRooms: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM rooms'),
			probeRoom: db.prepare('SELECT * FROM rooms LIMIT 1'),
			bury: db.prepare('INSERT OR IGNORE INTO tombstones (id, deleted_at) VALUES (?, ?)'),
			buried: db.prepare<[string], { id: string }>('SELECT id FROM tombstones WHERE id = ?')
		};
		const statements = this.#statements;
		this.#storeJournaled = db.transaction((records: JournalRecord[]) => {
			for (const { roomId, seq, update } of records) statements.storeJournaled.run(roomId, seq, update, roomId, seq, roomId);
		});
		this.#buryRoom = db.transaction((id: string) => {
			statements.bury.run(id, Date.now());
			return statements.delete.run(id).changes > 0;
		});
		this.#replaceSnapshot = db.transaction((id: string, state: Uint8Array, now: number, seq: number, stateVector: Uint8Array | null) => {
			statements.putSnapshot.run(id, state, now, seq, stateVector);
			statements.dropUpdates.run(id, seq);
		});
		if (owner) {
			for (const path of [`${file}-wal`, `${file}-shm`]) restrictMode(path);
			// Whatever a killed process left is stored before anything else happens.
			this.#replayJournal();
		}
		if (options.backgroundCheckpointMs) {
			this.#db.pragma('wal_autocheckpoint = 0');
			// Should a checkpoint lag behind a burst, the WAL file is cut back once it is rewound.
			this.#db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
		}
		if (options.backgroundCheckpointMs || owner) {
			this.#worker = new StoreWorker(file, {
				checkpointMs: options.backgroundCheckpointMs,
				storeSql: STORE_JOURNALED_SQL,
				onFailure: () => {
					// Without the worker the WAL would grow without bound: checkpoint in commits again.
					// Journal segments are then stored on this thread (JournalSpool).
					if (this.#db.open && options.backgroundCheckpointMs) this.#db.pragma('wal_autocheckpoint = 1000');
				}
			});
		}
		if (owner) {
			this.#spool = new JournalSpool(new UpdateJournal(file), {
				moveMs: options.journalMoveMs ?? 500,
				worker: this.#worker,
				storeHere: this.#storeJournaled,
				segmentBytes: options.journalSegmentBytes
			});
		}
	}

	/** Open (creating if needed) the store in a data directory, as its owner unless told otherwise. */
	static open(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
		// Only a directory made here is set to 0700: an existing one (a mounted volume) is the deployer's.
		mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
		return new SqliteStore(databasePath(dataDir), { journal: 'own', ...options });
	}

	/**
	 * Store every record of the segments a previous process left, then delete them. Read record
	 * by record and stored in bounded batches: a segment is never read whole into memory.
	 * Damaged stretches are passed over (segmentReader.ts) and logged.
	 */
	#replayJournal(): void {
		const segments = journalSegments(this.#file);
		// Records of rooms gone (deleted, or health probes) are dropped here, not bound to SQL.
		const registered = new Map<string, boolean>();
		const isRegistered = (id: string) => {
			let known = registered.get(id);
			if (known === undefined) registered.set(id, (known = this.#statements.getRoom.get(id) !== undefined));
			return known;
		};
		let batch: JournalRecord[] = [];
		let batchBytes = 0;
		for (const segment of segments) {
			const onSkip = (skipped: { offset: number; bytes: number; tail: boolean }) => {
				const skip = { segment, ...skipped };
				this.replay.skipped.push(skip);
				if (skip.tail) this.#logger.info(skip, 'journal: dropped a torn last write');
				else this.#logger.warn(skip, 'journal: skipped damaged bytes, recovery resumed at the next valid record');
			};
			for (const record of readSegmentFile(segment, onSkip)) {
				this.replay.records += 1;
				if (!isRegistered(record.roomId)) continue;
				batch.push(record);
				batchBytes += record.update.byteLength;
				if (batch.length >= REPLAY_BATCH_RECORDS || batchBytes >= REPLAY_BATCH_BYTES) {
					this.#storeJournaled(batch);
					batch = [];
					batchBytes = 0;
				}
			}
		}
		this.#storeJournaled(batch);
		for (const path of segments) rmSync(path, { force: true });
		this.replay.segments = segments.length;
		if (segments.length > 0) this.#logger.info({ segments: segments.length, records: this.replay.records }, 'journal: replayed');
	}

	/** Journaled records not yet stored in SQLite (for tests and diagnostics). */
	get waitingRecords(): number {
		return this.#spool?.waiting().length ?? 0;
	}

	/** Wait until every journaled record is stored in SQLite. */
	async moveJournal(): Promise<void> {
		await this.#spool?.drain();
	}

	/** A reader reports damage it passes over; a torn tail is the owner's write in progress. */
	#logDamage = (skip: SegmentSkip): void => {
		if (!skip.tail) this.#logger.warn(skip, 'journal: skipped damaged bytes');
	};

	/** Run a write; a failure (disk full, I/O error, damaged pages) becomes a StoreWriteError. */
	#write<T>(operation: string, write: () => T): T {
		try {
			return write();
		} catch (error) {
			if (error instanceof StoreWriteError || error instanceof UnknownRoomError) throw error;
			throw new StoreWriteError(operation, error);
		}
	}

	/**
	 * Throws StoreUnavailableError unless the store can read and write now: a probe row written and
	 * read back, the room registry read (damaged pages there fail every connection), and, for the
	 * owner, a probe record appended to the journal (the disk takes writes).
	 */
	async check(): Promise<void> {
		try {
			const now = Date.now();
			this.#statements.probeWrite.run(now);
			if (this.#statements.probeRead.get()?.checked_at !== now) throw new Error('the probe row did not read back');
			this.#statements.probeRooms.get();
			this.#statements.probeRoom.get();
		} catch (error) {
			throw new StoreUnavailableError('database check failed', error);
		}
		try {
			this.#spool?.probe();
		} catch (error) {
			throw new StoreUnavailableError('journal check failed', error);
		}
	}

	#lastSeq(id: string): number {
		return this.#seq.get(id) ?? this.#statements.lastSeq.get(id, id)!.seq;
	}

	#requireRoom(id: string): void {
		if (this.#known.has(id)) return;
		if (!this.#statements.getRoom.get(id)) throw new UnknownRoomError(id);
		this.#known.add(id);
	}

	async getRoom(id: string): Promise<RoomRecord | null> {
		const row = this.#statements.getRoom.get(id);
		return row ? toRecord(row) : null;
	}

	async claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord> {
		this.#write('register the room', () => this.#statements.insertRoom.run(id, Buffer.from(keyCheck), now, now));
		this.#known.add(id);
		return toRecord(this.#statements.getRoom.get(id)!);
	}

	async loadState(id: string): Promise<Uint8Array[]> {
		return (await this.loadStoredState(id)).parts;
	}

	async loadStoredState(id: string): Promise<StoredState> {
		// A reader takes the journal first: a segment moved after this read is in it, and one
		// moved before it is in the table by the time the table is read.
		const journaled = this.#spool ? this.#spool.waiting() : readJournal(this.#file, id, this.#logDamage);
		const snapshot = this.#statements.snapshot.get(id);
		const after = snapshot?.seq ?? 0;
		const rows: { seq: number; data: Uint8Array }[] = this.#statements.updates.all(id, after);
		// A record being moved can be in both places.
		const stored = new Set(rows.map((row) => row.seq));
		for (const record of journaled) {
			if (record.roomId === id && record.seq > after && !stored.has(record.seq)) {
				stored.add(record.seq);
				rows.push({ seq: record.seq, data: record.update });
			}
		}
		rows.sort((a, b) => a.seq - b.seq);
		const updates = rows.map((row) => row.data);
		if (!snapshot) return { parts: updates, stateVector: null };
		return { parts: [snapshot.data, ...updates], stateVector: updates.length === 0 ? snapshot.state_vector : null };
	}

	/**
	 * Synchronous, so the room stores and broadcasts without a promise or an event-loop hop. The
	 * owner writes one journal record (a single system call); a reader commits to SQLite at once.
	 */
	appendUpdate(id: string, update: Uint8Array): void {
		this.#requireRoom(id);
		const seq = this.#lastSeq(id) + 1;
		// Inline rather than through #write: this runs once per update on the relay's hot path.
		try {
			if (this.#spool) this.#spool.append({ roomId: id, seq, update });
			else this.#statements.append.run(id, seq, update);
		} catch (error) {
			throw error instanceof StoreWriteError ? error : new StoreWriteError('store the update', error);
		}
		this.#seq.set(id, seq);
	}

	/** The log positions up to the current one are in `state`; journal records for them are dropped. */
	async saveSnapshot(id: string, state: Uint8Array, now: number, stateVector?: Uint8Array): Promise<void> {
		const seq = this.#lastSeq(id);
		this.#write('store the snapshot', () => this.#replaceSnapshot(id, state, now, seq, stateVector ?? null));
		this.#seq.set(id, seq);
		this.#spool?.forget(id);
	}

	async touchRoom(id: string, lastActive: number, size: number): Promise<void> {
		this.#write('update the room', () => this.#statements.touch.run(lastActive, size, id));
	}

	async listRooms(): Promise<RoomRecord[]> {
		return this.#statements.list.all().map(toRecord);
	}

	async deleteRoom(id: string): Promise<boolean> {
		this.#seq.delete(id);
		this.#known.delete(id);
		// Its records still in journal segments are skipped when stored: the room is gone.
		this.#spool?.forget(id);
		return this.#write('delete the room', () => this.#buryRoom(id));
	}

	async isDeleted(id: string): Promise<boolean> {
		return this.#statements.buried.get(id) !== undefined;
	}

	async close(): Promise<void> {
		if (!this.#db.open) return;
		try {
			await this.#spool?.close();
		} finally {
			await this.#worker?.stop();
			// The last connection to close folds the WAL into the file.
			if (this.#db.open) this.#db.close();
		}
	}
}

/** Make a file private (0600) if it exists; a file owned by another user is left as it is. */
function restrictMode(path: string): void {
	try {
		chmodSync(path, DATABASE_FILE_MODE);
	} catch {
		// Missing (no WAL yet) or not ours: nothing to tighten.
	}
}
