/**
 * Diagnostic (issue 12): CPU per journal record of the store worker's move into SQLite, three
 * ways, on a real database of 50 rooms: "full" (the worker's statement: the insert with its room
 * and snapshot checks per record), "prefilter" (the checks once per room per batch), "merged"
 * (each room's records of a batch merged with Y.mergeUpdates into one row). Batches of 500
 * records, as 500 ms of the relay benchmark's load. Run: `node --import tsx bench/relay/storeMove.ts`.
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, databasePath } from '../../server/persistence/SqliteStore';
const dir = mkdtempSync(join(tmpdir(), 'refinery-store-move-'));
const s = SqliteStore.open(dir);
const rooms = Array.from({ length: 50 }, (_, i) => `room-${String(i).padStart(17, '0')}`);
for (const r of rooms) await s.claimRoom(r, new Uint8Array(32), 0);
await s.close();
const db = new Database(databasePath(dir), { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const SQL = `INSERT OR IGNORE INTO updates (room_id, seq, data) SELECT ?, ?, ?
WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?) AND ? > COALESCE((SELECT seq FROM snapshots WHERE room_id = ?), 0)`;
const full = db.prepare(SQL);
const plain = db.prepare('INSERT OR IGNORE INTO updates (room_id, seq, data) VALUES (?, ?, ?)');
const check = db.prepare('SELECT EXISTS (SELECT 1 FROM rooms WHERE id = ?) AS known, COALESCE((SELECT seq FROM snapshots WHERE room_id = ?), 0) AS covered');
// updates: per room, a writer doc making 1-char edits
const docs = rooms.map(() => [new Y.Doc(), new Y.Doc()]);
const seq = new Map<string, number>();
function batch(n: number) {
	const out: { id: string; seq: number; data: Uint8Array }[] = [];
	for (let i = 0; i < n; i++) {
		const r = i % 50;
		const d = docs[r][(i / 50) & 1];
		let u: Uint8Array | null = null;
		d.once('update', (x: Uint8Array) => (u = x));
		d.getText('t').insert(0, 'x');
		const q = (seq.get(rooms[r]) ?? 0) + 1;
		seq.set(rooms[r], q);
		out.push({ id: rooms[r], seq: q, data: u! });
	}
	return out;
}
const modes = {
	full: db.transaction((recs: ReturnType<typeof batch>) => { for (const x of recs) full.run(x.id, x.seq, x.data, x.id, x.seq, x.id); }),
	prefilter: db.transaction((recs: ReturnType<typeof batch>) => {
		const ok = new Map<string, number>();
		for (const x of recs) {
			let c = ok.get(x.id);
			if (c === undefined) { const row = check.get(x.id, x.id) as { known: number; covered: number }; c = row.known ? row.covered : Infinity; ok.set(x.id, c); }
			if (x.seq > c) plain.run(x.id, x.seq, x.data);
		}
	}),
	merged: db.transaction((recs: ReturnType<typeof batch>) => {
		const byRoom = new Map<string, ReturnType<typeof batch>>();
		for (const x of recs) { let l = byRoom.get(x.id); if (!l) byRoom.set(x.id, (l = [])); l.push(x); }
		for (const [id, l] of byRoom) {
			const row = check.get(id, id) as { known: number; covered: number };
			if (!row.known) continue;
			const keep = l.filter((x) => x.seq > row.covered);
			if (keep.length === 0) continue;
			plain.run(id, keep[keep.length - 1].seq, keep.length === 1 ? keep[0].data : Y.mergeUpdates(keep.map((x) => x.data)));
		}
	})
};
const N = 500;
for (let round = 0; round < 3; round++) {
	for (const [name, f] of Object.entries(modes)) {
		const batches = Array.from({ length: 20 }, () => batch(N));
		const c0 = process.cpuUsage();
		for (const b of batches) { f(b); }
		const c = process.cpuUsage(c0);
		const c1 = process.cpuUsage();
		db.pragma('wal_checkpoint(PASSIVE)');
		const ck = process.cpuUsage(c1);
		console.log(name.padEnd(10), 'µs/record', ((c.user + c.system) / (20 * N)).toFixed(2), 'checkpoint µs/record', ((ck.user + ck.system) / (20 * N)).toFixed(2));
	}
}
db.close();
rmSync(dir, { recursive: true, force: true });
