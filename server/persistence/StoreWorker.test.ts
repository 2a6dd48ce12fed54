import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreWorker } from './StoreWorker';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** SQL with StoreWorker's six parameters (room, seq, data, room, seq, room), into a plain table. */
const STORE_SQL = 'INSERT INTO t (room, seq, data) SELECT ?, ?, ? WHERE ? IS NOT NULL AND ? > 0 AND ? IS NOT NULL';

/** A database with the plain table, and a segment file for the worker to delete. */
function fixture(dir: string): { file: string; segment: string } {
	const file = join(dir, 'test.db');
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.exec('CREATE TABLE t (room TEXT, seq INTEGER, data BLOB)');
	db.close();
	const segment = join(dir, 'segment');
	writeFileSync(segment, 'x');
	return { file, segment };
}

const rows = (file: string) => {
	const db = new Database(file, { readonly: true });
	const all = db.prepare('SELECT room, seq, data FROM t ORDER BY seq').all();
	db.close();
	return all;
};

describe('the store worker', () => {
	it('runs from its own module file and moves a segment into the database', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'refinery-storeworker-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const { file, segment } = fixture(dir);
		let failure: Error | null = null;
		const worker = new StoreWorker(file, { storeSql: STORE_SQL, onFailure: (error) => (failure = error) });
		await worker.move(segment, [
			{ roomId: 'r', seq: 1, update: new Uint8Array([1, 2]) },
			{ roomId: 'r', seq: 2, update: new Uint8Array([3]) }
		]);
		await worker.stop();
		expect(failure).toBeNull();
		expect(existsSync(segment)).toBe(false);
		expect(rows(file)).toEqual([
			{ room: 'r', seq: 1, data: Buffer.from([1, 2]) },
			{ room: 'r', seq: 2, data: Buffer.from([3]) }
		]);
	});

	it('runs when the server is bundled by esbuild, with storeWorker.js as its own entry point beside the bundle', { timeout: 60_000 }, async () => {
		// Inside the project, so the bundle resolves better-sqlite3 from node_modules as a build in build/server would.
		mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
		const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/storeworker-build-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const entry = join(dir, 'entry.ts');
		writeFileSync(
			entry,
			`import { StoreWorker } from ${JSON.stringify(join(ROOT, 'server/persistence/StoreWorker.ts'))};
const [file, segment] = process.argv.slice(2);
const worker = new StoreWorker(file, { storeSql: ${JSON.stringify(STORE_SQL)}, onFailure: (error) => { console.error('worker failed', error); process.exit(2); } });
await worker.move(segment, [{ roomId: 'bundled', seq: 1, update: new Uint8Array([7]) }]);
await worker.stop();
console.log('moved');
`
		);
		const outdir = join(dir, 'build');
		await build({
			entryPoints: { main: entry, storeWorker: join(ROOT, 'server/persistence/storeWorker.js') },
			outdir,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			packages: 'external',
			logLevel: 'silent'
		});
		const { file, segment } = fixture(dir);
		const { stdout } = await promisify(execFile)(process.execPath, [join(outdir, 'main.js'), file, segment], { cwd: dir });
		expect(stdout.trim()).toBe('moved');
		expect(rows(file)).toEqual([{ room: 'bundled', seq: 1, data: Buffer.from([7]) }]);
		expect(existsSync(segment)).toBe(false);
	});
});
