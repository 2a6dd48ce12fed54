import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteStore, databasePath } from './SqliteStore';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('with background checkpoints, the WAL reaches the database file and nothing is lost', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-store-'));
	dirs.push(dir);
	const store = SqliteStore.open(dir, { backgroundCheckpointMs: 20 });
	await store.claimRoom('room', new Uint8Array(32), 0);
	const emptySize = statSync(databasePath(dir)).size;
	for (let i = 0; i < 500; i++) store.appendUpdate('room', new Uint8Array(200).fill(i % 256));
	// Commits do not checkpoint themselves any more; only the worker moves pages into the file.
	const deadline = Date.now() + 5000;
	while (statSync(databasePath(dir)).size <= emptySize + 50_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
	expect(statSync(databasePath(dir)).size).toBeGreaterThan(emptySize + 50_000);
	await store.close();

	const reopened = SqliteStore.open(dir);
	const state = await reopened.loadState('room');
	expect(state).toHaveLength(500);
	expect(state[499][0]).toBe(499 % 256);
	await reopened.close();
});

it('opens a database made before snapshots recorded their log position, and loses nothing', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-store-'));
	dirs.push(dir);
	// The schema as it was: the log restarted at seq 1 after each snapshot.
	const old = new Database(databasePath(dir));
	old.exec(`
		CREATE TABLE rooms (id TEXT PRIMARY KEY, key_check BLOB NOT NULL, created_at INTEGER NOT NULL, last_active INTEGER NOT NULL, size INTEGER NOT NULL DEFAULT 0);
		CREATE TABLE snapshots (room_id TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE, data BLOB NOT NULL, created_at INTEGER NOT NULL);
		CREATE TABLE updates (room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID;
		INSERT INTO rooms VALUES ('room', x'00', 0, 0, 0);
		INSERT INTO snapshots VALUES ('room', x'0a', 0);
		INSERT INTO updates VALUES ('room', 1, x'0b'), ('room', 2, x'0c');
	`);
	old.close();
	const store = SqliteStore.open(dir);
	store.appendUpdate('room', new Uint8Array([0x0d]));
	const plain = (list: Uint8Array[]) => list.map((update) => Array.from(update));
	expect(plain(await store.loadState('room'))).toEqual([[0x0a], [0x0b], [0x0c], [0x0d]]);
	await store.close();
	const reopened = SqliteStore.open(dir);
	expect(plain(await reopened.loadState('room'))).toEqual([[0x0a], [0x0b], [0x0c], [0x0d]]);
	await reopened.close();
});
