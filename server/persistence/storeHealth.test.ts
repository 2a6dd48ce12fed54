import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSegmentFile } from './segmentReader';
import { SqliteStore, databasePath } from './SqliteStore';
import { StoreUnavailableError, StoreWriteError } from './storeErrors';
import { journalSegments } from './UpdateJournal';

const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-health-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

const plain = (list: Uint8Array[]) => list.map((update) => Array.from(update));

/** A tmpfs of `size` mounted at a new directory, or null where mounting is not allowed. */
function smallDisk(size: string): string | null {
	const dir = tempDir();
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
	} catch {
		return null;
	}
	cleanups.push(() => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }));
	return dir;
}

describe('the store health check', () => {
	it('passes on a working store and writes its probe to the journal', async () => {
		const dir = tempDir();
		const store = SqliteStore.open(dir);
		await store.claimRoom('room', new Uint8Array(32), 0);
		await expect(store.check()).resolves.toBeUndefined();
		await expect(store.check()).resolves.toBeUndefined();
		// Probes belong to no room: nothing of them is loaded or stored.
		store.appendUpdate('room', new Uint8Array([1]));
		expect(plain(await store.loadState('room'))).toEqual([[1]]);
		await store.close();
		const reopened = SqliteStore.open(dir);
		expect(plain(await reopened.loadState('room'))).toEqual([[1]]);
		await reopened.close();
	});

	it('fails on damaged database pages (what every connection would meet)', async () => {
		const dir = tempDir();
		const setup = SqliteStore.open(dir);
		for (let i = 0; i < 200; i++) await setup.claimRoom(`room-${i}`, new Uint8Array(32).fill(i), i);
		await setup.close();
		// Overwrite the room registry's pages (its table and its index) with garbage, as a bad disk would.
		const db = new Database(databasePath(dir), { readonly: true });
		const pageSize = db.pragma('page_size', { simple: true }) as number;
		const roots = db.prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'rooms' AND rootpage > 0").all() as { rootpage: number }[];
		db.close();
		expect(roots.length).toBeGreaterThan(0);
		const fd = openSync(databasePath(dir), 'r+');
		for (const { rootpage } of roots) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
		closeSync(fd);

		const store = SqliteStore.open(dir);
		const failure = await store.check().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(StoreUnavailableError);
		expect((failure as StoreUnavailableError).code).toMatch(/^SQLITE_CORRUPT/);
		await expect(store.getRoom('room-1')).rejects.toThrow();
		await store.close();
	});

	it('on a full disk: appends refuse with StoreWriteError (no crash, no half record), the check fails, and both recover when space returns', async (context) => {
		const disk = smallDisk('4m');
		if (!disk) {
			context.skip('mounting a tmpfs is not allowed here (needs root or CAP_SYS_ADMIN)');
			return;
		}
		const dataDir = join(disk, 'data');
		const store = SqliteStore.open(dataDir, { journalMoveMs: 3_600_000 });
		await store.claimRoom('room', new Uint8Array(32), 0);
		// Most of the disk, to give back later (enough to move the journal into SQLite at close).
		writeFileSync(join(disk, 'ballast'), Buffer.alloc(3 * 1024 * 1024));
		const accepted: Uint8Array[] = [];
		let refusal: unknown = null;
		for (let i = 0; i < 100 && !refusal; i++) {
			const update = new Uint8Array(100_000).fill(i + 1);
			try {
				store.appendUpdate('room', update);
				accepted.push(update);
			} catch (error) {
				refusal = error;
			}
		}
		expect(refusal).toBeInstanceOf(StoreWriteError);
		expect((refusal as StoreWriteError).code).toBe('ENOSPC');
		expect(accepted.length).toBeGreaterThan(5);
		// The refused record was cut off: the segment ends with the last accepted one.
		const [segment] = journalSegments(databasePath(dataDir));
		const skipped: unknown[] = [];
		expect([...readSegmentFile(segment, (skip) => skipped.push(skip))]).toHaveLength(accepted.length);
		expect(skipped).toEqual([]);
		await expect(store.check()).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(store.saveSnapshot('room', new Uint8Array(1_000_000).fill(7), 1)).rejects.toBeInstanceOf(StoreWriteError);

		rmSync(join(disk, 'ballast'));
		await expect(store.check()).resolves.toBeUndefined();
		const after = new Uint8Array(1000).fill(0xee);
		store.appendUpdate('room', after);
		accepted.push(after);
		expect((await store.loadState('room')).length).toBe(accepted.length);
		await store.close();
		const reopened = SqliteStore.open(dataDir);
		const loaded = await reopened.loadState('room');
		expect(loaded.length).toBe(accepted.length);
		expect(loaded.every((update, i) => Buffer.from(update).equals(accepted[i]))).toBe(true);
		await reopened.close();
	});
});

describe('file modes', () => {
	it('makes the data directory 0700 and the database, its WAL and journal segments 0600, whatever the umask', async () => {
		const dataDir = join(tempDir(), 'new', 'data');
		const previous = process.umask(0);
		let store: SqliteStore;
		try {
			store = SqliteStore.open(dataDir, { journalMoveMs: 3_600_000 });
			await store.claimRoom('room', new Uint8Array(32), 0);
			store.appendUpdate('room', new Uint8Array([1]));
		} finally {
			process.umask(previous);
		}
		const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
		const file = databasePath(dataDir);
		expect(mode(dataDir)).toBe('700');
		expect(mode(file)).toBe('600');
		expect(mode(`${file}-wal`)).toBe('600');
		expect(mode(`${file}-shm`)).toBe('600');
		const segments = journalSegments(file);
		expect(segments.length).toBeGreaterThan(0);
		for (const segment of segments) expect(mode(segment)).toBe('600');
		await store.close();
	});

	it('makes an existing world-readable database private when the relay opens it', async () => {
		const dataDir = tempDir();
		mkdirSync(dataDir, { recursive: true });
		const old = new Database(databasePath(dataDir));
		old.pragma('journal_mode = WAL');
		old.exec('CREATE TABLE t (x)');
		old.close();
		const file = databasePath(dataDir);
		execFileSync('chmod', ['0644', file]);
		const store = SqliteStore.open(dataDir);
		expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
		await store.close();
	});
});
