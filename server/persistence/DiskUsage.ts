import Database from 'better-sqlite3';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Journal segments (UpdateJournal.ts): `<database>.updates.<n>`. */
const SEGMENT = /\.db\.updates\.\d+$/;

/**
 * The bytes a data directory stores, for the total disk budget (MAX_DISK_BYTES): the pages in use
 * of every SQLite database in it (`refinery.db`, `versions.db`), read through read-only
 * connections of its own, plus the journal segments. Pages freed by a deleted room or a
 * compaction count as free at once, though SQLite keeps the file's size for reuse. WAL and
 * shared-memory files are transient (checkpointed every 100 ms and cut back) and not counted.
 */
export class DiskUsage {
	readonly #dataDir: string;
	readonly #databases = new Map<string, Database.Database>();

	constructor(dataDir: string) {
		this.#dataDir = dataDir;
	}

	/** Bytes stored now. */
	measure(): number {
		let bytes = 0;
		for (const name of readdirSync(this.#dataDir)) {
			const path = join(this.#dataDir, name);
			try {
				if (name.endsWith('.db')) bytes += this.#pagesInUse(path);
				else if (SEGMENT.test(name)) bytes += statSync(path).size;
			} catch {
				// Moved and deleted between the listing and the read (a sealed segment), or not a database.
			}
		}
		return bytes;
	}

	close(): void {
		for (const db of this.#databases.values()) db.close();
		this.#databases.clear();
	}

	#pagesInUse(path: string): number {
		let db = this.#databases.get(path);
		if (!db) {
			db = new Database(path, { readonly: true, fileMustExist: true });
			this.#databases.set(path, db);
		}
		const pages = db.pragma('page_count', { simple: true }) as number;
		const free = db.pragma('freelist_count', { simple: true }) as number;
		const size = db.pragma('page_size', { simple: true }) as number;
		return (pages - free) * size;
	}
}
