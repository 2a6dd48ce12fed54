import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { databasePath } from '../persistence/SqliteStore';
import { journalRecords } from '../persistence/UpdateJournal';
import { relayHolding } from '../relayLock';

/** A backup or restore that cannot be done; the message says why. */
export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

/** What a journal record becomes in the copy: skipped if its room is gone, a snapshot covers it, or it is stored already. */
const STORE_RECORD = `INSERT OR IGNORE INTO updates (room_id, seq, data) SELECT ?, ?, ?
WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?) AND ? > COALESCE((SELECT seq FROM snapshots WHERE room_id = ?), 0)`;

/**
 * A consistent copy of a data directory as one SQLite file, while the relay runs. The journal
 * is read first, then SQLite's online backup copies the database: a record acknowledged before
 * the backup began is either still in a journal segment (read) or was moved into the database
 * before its segment was deleted (copied). The records are then stored in the copy, so it
 * stands alone. The copy is written beside `outFile` and renamed into place when complete.
 */
export async function backupDataDir(dataDir: string, outFile: string): Promise<{ rooms: number; journalRecords: number; bytes: number }> {
	const source = databasePath(dataDir);
	if (!existsSync(source)) throw new BackupError(`no database at ${source} (set DATA_DIR)`);
	const target = resolve(outFile);
	if (existsSync(target)) throw new BackupError(`${outFile} exists; a backup never overwrites a file`);
	if (!existsSync(dirname(target))) mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
	const journaled = [...journalRecords(source)];
	const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
	const db = new Database(source, { fileMustExist: true, timeout: 5000 });
	try {
		// All pages in one step: a step-by-step copy restarts whenever the relay writes meanwhile.
		await db.backup(partial, { progress: () => 0x7fffffff });
	} catch (error) {
		rmSync(partial, { force: true });
		throw error;
	} finally {
		db.close();
	}
	const copy = new Database(partial);
	let rooms: number;
	try {
		copy.pragma('journal_mode = DELETE');
		const store = copy.prepare(STORE_RECORD);
		copy.transaction(() => {
			for (const { roomId, seq, update } of journaled) store.run(roomId, seq, update, roomId, seq, roomId);
		})();
		rooms = (copy.prepare('SELECT COUNT(*) AS n FROM rooms').get() as { n: number }).n;
	} finally {
		copy.close();
	}
	chmodSync(partial, 0o600);
	renameSync(partial, target);
	return { rooms, journalRecords: journaled.length, bytes: statSync(target).size };
}

/** The files of a data directory's store: the database, its WAL and shared memory, journal segments. */
function storeFiles(dataDir: string): string[] {
	const name = basename(databasePath(dataDir));
	if (!existsSync(dataDir)) return [];
	return readdirSync(dataDir).filter((file) => file === name || file.startsWith(`${name}-`) || file.startsWith(`${name}.`));
}

/**
 * Put a backup in place as a data directory's database. Refused while a relay holds the
 * directory. What was there is kept in `before-restore-<time>/` inside it, never deleted.
 */
export async function restoreBackup(dataDir: string, backupFile: string, options: { force?: boolean } = {}): Promise<{ rooms: number; keptIn: string | null }> {
	const holder = relayHolding(dataDir);
	if (holder && holder.alive === true) throw new BackupError(`a relay (pid ${holder.pid}, started ${holder.startedAt}) is serving ${dataDir}: stop it first`);
	if (holder && holder.alive === 'unknown' && !options.force) {
		throw new BackupError(`${dataDir} was served by a relay on ${holder.host} (pid ${holder.pid}); stop it, then run again with --force`);
	}
	if (!existsSync(backupFile)) throw new BackupError(`no file ${backupFile}`);
	let rooms: number;
	try {
		const check = new Database(backupFile, { readonly: true, fileMustExist: true });
		try {
			const ok = check.pragma('quick_check', { simple: true });
			if (ok !== 'ok') throw new BackupError(`${backupFile} is damaged: ${String(ok)}`);
			rooms = (check.prepare('SELECT COUNT(*) AS n FROM rooms').get() as { n: number }).n;
		} finally {
			check.close();
		}
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError(`${backupFile} is not a Refinery backup: ${(error as Error).message}`);
	}
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const existing = storeFiles(dataDir);
	let keptIn: string | null = null;
	if (existing.length) {
		keptIn = join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		mkdirSync(keptIn, { mode: 0o700 });
		for (const file of existing) renameSync(join(dataDir, file), join(keptIn, file));
	}
	const target = databasePath(dataDir);
	const partial = `${target}.restoring`;
	// Copied through SQLite rather than the file system, so the copy is whole even if the backup file is open elsewhere.
	const from = new Database(backupFile, { readonly: true });
	try {
		await from.backup(partial, { progress: () => 0x7fffffff });
	} finally {
		from.close();
	}
	chmodSync(partial, 0o600);
	renameSync(partial, target);
	// A lock left by a relay that is known to be gone (or --force) is stale now.
	rmSync(join(dataDir, 'relay.lock'), { force: true });
	return { rooms, keptIn };
}
