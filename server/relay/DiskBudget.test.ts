import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskUsage } from '../persistence/DiskUsage';
import { DiskBudget } from './DiskBudget';

describe('DiskBudget', () => {
	it('counts what it admits until the next measure, refuses past the budget, and is reached while the refused update still would not fit', () => {
		let stored = 900;
		const budget = new DiskBudget(1000, () => stored, 60_000);
		try {
			expect(budget.full()).toBe(false);
			expect(budget.take(60)).toBe(true);
			expect(budget.used).toBe(960);
			expect(budget.take(60)).toBe(false);
			// 40 bytes are left, but not for the writer that waits with 60: no new room takes them.
			expect(budget.full()).toBe(true);
			expect(budget.take(40)).toBe(true);
			stored = 500;
			budget.refresh();
			expect(budget.used).toBe(500);
			expect(budget.full()).toBe(false);
		} finally {
			budget.close();
		}
	});
});

describe('DiskUsage', () => {
	it('counts pages in use of the databases and the journal segments, not pages freed or other files', () => {
		const dir = mkdtempSync(join(tmpdir(), 'refinery-disk-'));
		try {
			const db = new Database(join(dir, 'refinery.db'));
			db.pragma('journal_mode = WAL');
			db.exec('CREATE TABLE t (data BLOB)');
			const usage = new DiskUsage(dir);
			const empty = usage.measure();
			db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1024 * 1024));
			const full = usage.measure();
			expect(full - empty).toBeGreaterThanOrEqual(1024 * 1024);
			expect(full - empty).toBeLessThan(1.1 * 1024 * 1024);
			writeFileSync(join(dir, 'refinery.db.updates.7'), Buffer.alloc(5000));
			writeFileSync(join(dir, 'notes.txt'), Buffer.alloc(5000));
			expect(usage.measure()).toBe(full + 5000);
			// Deleted: the file keeps its size, the pages are free.
			db.exec('DELETE FROM t');
			expect(usage.measure()).toBeLessThan(empty + 5000 + 8192);
			usage.close();
			db.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
