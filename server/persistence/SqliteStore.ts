import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackgroundCheckpointer } from './BackgroundCheckpointer';
import type { RoomRecord, RoomStore } from './RoomStore';

export interface SqliteStoreOptions {
	/**
	 * Checkpoint the WAL from a worker thread every this many ms instead of inside a commit (the
	 * relay turns this on). Often (100 ms): a short checkpoint usually catches up with the writer,
	 * which lets SQLite rewind the WAL instead of growing it.
	 */
	backgroundCheckpointMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	id TEXT PRIMARY KEY,
	key_check BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	last_active INTEGER NOT NULL,
	size INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS snapshots (
	room_id TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
	data BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
-- Clustered by room: an append writes one b-tree (no rowid table, index or sequence to
-- update as well), and loading or dropping a room's log is a range.
CREATE TABLE IF NOT EXISTS updates (
	room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
`;

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

/**
 * RoomStore on one SQLite file in WAL mode. better-sqlite3 is synchronous; a committed
 * write is in the WAL before the call returns, so it survives the process being killed.
 * synchronous=NORMAL trades the last commits on power loss (not on a crash) for speed.
 */
export class SqliteStore implements RoomStore {
	readonly #db: Database.Database;
	readonly #statements;
	readonly #replaceSnapshot: (id: string, state: Uint8Array, now: number) => void;
	readonly #seq = new Map<string, number>();
	readonly #checkpointer: BackgroundCheckpointer | null = null;

	constructor(file: string, options: SqliteStoreOptions = {}) {
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = NORMAL');
		this.#db.pragma('foreign_keys = ON');
		this.#db.exec(SCHEMA);
		if (options.backgroundCheckpointMs) {
			this.#db.pragma('wal_autocheckpoint = 0');
			// Should a checkpoint lag behind a burst, the WAL file is cut back once it is rewound.
			this.#db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
			this.#checkpointer = new BackgroundCheckpointer(file, options.backgroundCheckpointMs, () => {
				// Without the worker the WAL would grow without bound: checkpoint in commits again.
				if (this.#db.open) this.#db.pragma('wal_autocheckpoint = 1000');
			});
		}
		const db = this.#db;
		this.#statements = {
			getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
			insertRoom: db.prepare('INSERT OR IGNORE INTO rooms (id, key_check, created_at, last_active, size) VALUES (?, ?, ?, ?, 0)'),
			snapshot: db.prepare<[string], { data: Buffer }>('SELECT data FROM snapshots WHERE room_id = ?'),
			updates: db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room_id = ? ORDER BY seq'),
			append: db.prepare('INSERT INTO updates (room_id, seq, data) VALUES (?, ?, ?)'),
			lastSeq: db.prepare<[string], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM updates WHERE room_id = ?'),
			putSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (room_id, data, created_at) VALUES (?, ?, ?)'),
			dropUpdates: db.prepare('DELETE FROM updates WHERE room_id = ?'),
			touch: db.prepare('UPDATE rooms SET last_active = ?, size = ? WHERE id = ?'),
			list: db.prepare<[], RoomRow>('SELECT * FROM rooms ORDER BY last_active DESC'),
			delete: db.prepare('DELETE FROM rooms WHERE id = ?')
		};
		const statements = this.#statements;
		this.#replaceSnapshot = db.transaction((id: string, state: Uint8Array, now: number) => {
			statements.putSnapshot.run(id, state, now);
			statements.dropUpdates.run(id);
			this.#seq.delete(id);
		});
	}

	/** Open (creating if needed) the store in a data directory. */
	static open(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
		mkdirSync(dataDir, { recursive: true });
		return new SqliteStore(databasePath(dataDir), options);
	}

	/** Next log position of a room; this process is the only writer, so it is kept in memory. */
	#nextSeq(id: string): number {
		const seq = (this.#seq.get(id) ?? this.#statements.lastSeq.get(id)!.seq) + 1;
		this.#seq.set(id, seq);
		return seq;
	}

	async getRoom(id: string): Promise<RoomRecord | null> {
		const row = this.#statements.getRoom.get(id);
		return row ? toRecord(row) : null;
	}

	async claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord> {
		this.#statements.insertRoom.run(id, Buffer.from(keyCheck), now, now);
		return toRecord(this.#statements.getRoom.get(id)!);
	}

	async loadState(id: string): Promise<Uint8Array[]> {
		const snapshot = this.#statements.snapshot.get(id);
		const updates = this.#statements.updates.all(id).map((row) => row.data);
		return snapshot ? [snapshot.data, ...updates] : updates;
	}

	/**
	 * Synchronous, one commit per update: in WAL with synchronous=NORMAL a commit costs a few
	 * microseconds of CPU, less than the promise and event-loop hop that batching would need,
	 * and the room can then store and broadcast in one go.
	 */
	appendUpdate(id: string, update: Uint8Array): void {
		const seq = this.#nextSeq(id);
		try {
			this.#statements.append.run(id, seq, update);
		} catch (error) {
			// The row was not written: forget the position so the next append reads it again.
			this.#seq.delete(id);
			throw error;
		}
	}

	async saveSnapshot(id: string, state: Uint8Array, now: number): Promise<void> {
		this.#replaceSnapshot(id, state, now);
	}

	async touchRoom(id: string, lastActive: number, size: number): Promise<void> {
		this.#statements.touch.run(lastActive, size, id);
	}

	async listRooms(): Promise<RoomRecord[]> {
		return this.#statements.list.all().map(toRecord);
	}

	async deleteRoom(id: string): Promise<boolean> {
		this.#seq.delete(id);
		return this.#statements.delete.run(id).changes > 0;
	}

	async close(): Promise<void> {
		if (!this.#db.open) return;
		await this.#checkpointer?.stop();
		// The last connection to close folds the WAL into the file.
		if (this.#db.open) this.#db.close();
	}
}
