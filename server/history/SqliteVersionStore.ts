import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { storedSize, type NewVersion, type VersionInfo, type VersionReason, type VersionStore } from './VersionStore';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	room_id TEXT NOT NULL,
	taken_at INTEGER NOT NULL,
	reason TEXT NOT NULL,
	name TEXT,
	size INTEGER NOT NULL,
	fingerprint TEXT NOT NULL,
	data BLOB NOT NULL,
	plain BLOB
);
CREATE INDEX IF NOT EXISTS versions_by_room ON versions (room_id, id);
`;

interface Row {
	id: number;
	taken_at: number;
	reason: VersionReason;
	name: string | null;
	size: number;
}

const toInfo = (row: Row): VersionInfo => ({ id: row.id, takenAt: row.taken_at, reason: row.reason, name: row.name, size: row.size });

/** The versions file inside a data directory. */
export function versionsPath(dataDir: string): string {
	return join(dataDir, 'versions.db');
}

/**
 * Versions in their own SQLite file beside `refinery.db` (WAL, synchronous=NORMAL). A file of
 * their own rather than a table in the rooms' database: the relay's journal mover and its
 * checkpointing worker own that file's write lock and WAL, and a version (a whole room, up to
 * megabytes) written there would hold the lock they wait on. Deleting a room deletes its
 * versions through `VersioningStore`.
 */
export class SqliteVersionStore implements VersionStore {
	readonly #db: Database.Database;
	readonly #statements;

	constructor(file: string) {
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = NORMAL');
		this.#db.exec(SCHEMA);
		// Files made before plain states were kept: their versions get one when first compared.
		const columns = this.#db.prepare<[], { name: string }>('PRAGMA table_info(versions)').all();
		if (!columns.some((column) => column.name === 'plain')) this.#db.exec('ALTER TABLE versions ADD COLUMN plain BLOB');
		const db = this.#db;
		this.#statements = {
			insert: db.prepare('INSERT INTO versions (room_id, taken_at, reason, name, size, fingerprint, data, plain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
			newestRow: db.prepare<[string], Row & { fingerprint: string }>('SELECT id, taken_at, reason, name, size, fingerprint FROM versions WHERE room_id = ? ORDER BY id DESC LIMIT 1'),
			readPlain: db.prepare<[string, number], { plain: Buffer | null }>('SELECT plain FROM versions WHERE room_id = ? AND id = ?'),
			setPlain: db.prepare('UPDATE versions SET plain = ?, size = size + ? WHERE room_id = ? AND id = ? AND plain IS NULL'),
			list: db.prepare<[string], Row>('SELECT id, taken_at, reason, name, size FROM versions WHERE room_id = ? ORDER BY id DESC'),
			read: db.prepare<[string, number], { data: Buffer }>('SELECT data FROM versions WHERE room_id = ? AND id = ?'),
			newest: db.prepare<[string], { fingerprint: string }>('SELECT fingerprint FROM versions WHERE room_id = ? ORDER BY id DESC LIMIT 1'),
			remove: db.prepare('DELETE FROM versions WHERE room_id = ? AND id = ?'),
			removeRoom: db.prepare('DELETE FROM versions WHERE room_id = ?')
		};
	}

	/** Open (creating if needed) the versions file of a data directory. */
	static open(dataDir: string): SqliteVersionStore {
		mkdirSync(dataDir, { recursive: true, mode: 0o700 });
		return new SqliteVersionStore(versionsPath(dataDir));
	}

	async add(roomId: string, version: NewVersion): Promise<VersionInfo> {
		return this.#insert(roomId, version);
	}

	#insert(roomId: string, version: NewVersion): VersionInfo {
		const size = storedSize(version);
		const { lastInsertRowid } = this.#statements.insert.run(roomId, version.takenAt, version.reason, version.name, size, version.fingerprint, version.state, version.plain);
		return { id: Number(lastInsertRowid), takenAt: version.takenAt, reason: version.reason, name: version.name, size };
	}

	async addIfChanged(roomId: string, version: NewVersion): Promise<{ version: VersionInfo; added: boolean }> {
		// One transaction: another process writing this file (the CLI) cannot slip a version in between.
		return this.#db.transaction(() => {
			const newest = this.#statements.newestRow.get(roomId);
			if (newest && newest.fingerprint === version.fingerprint) return { version: toInfo(newest), added: false };
			return { version: this.#insert(roomId, version), added: true };
		}).immediate();
	}

	async readPlain(roomId: string, id: number): Promise<{ plain: Uint8Array | null } | null> {
		const row = this.#statements.readPlain.get(roomId, id);
		return row ? { plain: row.plain && new Uint8Array(row.plain) } : null;
	}

	async setPlain(roomId: string, id: number, plain: Uint8Array): Promise<void> {
		this.#statements.setPlain.run(plain, plain.byteLength, roomId, id);
	}

	async list(roomId: string): Promise<VersionInfo[]> {
		return this.#statements.list.all(roomId).map(toInfo);
	}

	async read(roomId: string, id: number): Promise<Uint8Array | null> {
		const row = this.#statements.read.get(roomId, id);
		return row ? new Uint8Array(row.data) : null;
	}

	async newestFingerprint(roomId: string): Promise<string | null> {
		return this.#statements.newest.get(roomId)?.fingerprint ?? null;
	}

	async remove(roomId: string, ids: readonly number[]): Promise<void> {
		this.#db.transaction(() => {
			for (const id of ids) this.#statements.remove.run(roomId, id);
		})();
	}

	async removeRoom(roomId: string): Promise<void> {
		this.#statements.removeRoom.run(roomId);
	}

	async close(): Promise<void> {
		if (this.#db.open) this.#db.close();
	}
}
