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
