import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { databasePath, SqliteStore } from '../persistence/SqliteStore';
import { connectClient, newRoom, synced } from '../testing/clients';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';
import { main } from './rooms';

const WRITERS = 5;
const ROOMS = 3;
let base: string;
let dataDir: string;
let relay: ServerProcess;

async function cli(directory: string, ...args: string[]) {
	let stderr = '';
	const code = await main(args, { dataDir: directory, out: () => {}, err: (text) => (stderr += text) });
	return { code, stderr };
}

beforeAll(async () => {
	base = mkdtempSync(join(tmpdir(), 'refinery-backup-'));
	dataDir = join(base, 'data');
	relay = await startServerProcess({ dataDir });
});
afterAll(async () => {
	relay?.child.kill('SIGTERM');
	await relay?.exited;
	rmSync(base, { recursive: true, force: true });
});

describe('backup and restore-backup', () => {
	it('a backup taken during five writers’ edits restores every room and every update acknowledged before it began', async () => {
		const rooms = await Promise.all(Array.from({ length: ROOMS }, () => newRoom()));
		const providers: WebsocketProvider[] = [];
		const connect = async (room: (typeof rooms)[number]) => {
			const provider = connectClient(relay.syncUrl, room.roomId, room.editKey);
			providers.push(provider);
			await synced(provider);
			return provider;
		};
		// An update is acknowledged once the relay broadcasts it: it stores before it broadcasts.
		const observers = await Promise.all(rooms.map(connect));
		const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => connect(rooms[i % ROOMS])));
		let running = true;
		const writing = writers.map(async (writer, i) => {
			for (let n = 0; running; n++) {
				writer.doc.getMap('w').set(`${i}-${n}`, n);
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		});
		try {
			await new Promise((resolve) => setTimeout(resolve, 1500));
			// Paused for the copy, so its journal cannot be moved into SQLite meanwhile: a backup
			// without the journal's records would then miss updates, and this test would fail.
			relay.child.kill('SIGSTOP');
			const acknowledged = observers.map((observer) => [...observer.doc.getMap('w').keys()]);
			expect(acknowledged.flat().length).toBeGreaterThan(100);
			const backupFile = join(base, 'backups', 'refinery-backup.db');
			const backup = await cli(dataDir, 'backup', backupFile).finally(() => relay.child.kill('SIGCONT'));
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(backup.stderr).toMatch(/backed up 3 rooms/);
			expect(backup.code).toBe(0);
			// Records still in the journal went into the copy too.
			expect(Number(/(\d+) journal records/.exec(backup.stderr)?.[1])).toBeGreaterThan(0);
			expect(statSync(backupFile).mode & 0o777).toBe(0o600);
			expect((await cli(dataDir, 'backup', backupFile)).code).toBe(1);

			// The relay still holds its directory: restoring into it is refused.
			const refused = await cli(dataDir, 'restore-backup', backupFile);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toMatch(/is serving .*stop it first/);

			const fresh = join(base, 'restored');
			const restored = await cli(fresh, 'restore-backup', backupFile);
			expect(restored.code).toBe(0);
			expect(statSync(databasePath(fresh)).mode & 0o777).toBe(0o600);
			const store = new SqliteStore(databasePath(fresh));
			try {
				expect((await store.listRooms()).map((room) => room.id).sort()).toEqual(rooms.map((room) => room.roomId).sort());
				for (const [i, room] of rooms.entries()) {
					const doc = new Y.Doc();
					for (const update of await store.loadState(room.roomId)) Y.applyUpdate(doc, update);
					const keys = new Set(doc.getMap('w').keys());
					expect(acknowledged[i].filter((key) => !keys.has(key))).toEqual([]);
				}
			} finally {
				await store.close();
			}
		} finally {
			running = false;
			await Promise.all(writing);
			for (const provider of providers) provider.destroy();
		}
	});

	it('refuses what is not a backup, and a second restore keeps what was there', async () => {
		const fresh = join(base, 'other');
		const junk = join(base, 'junk.db');
		await import('node:fs').then((fs) => fs.writeFileSync(junk, 'not sqlite'));
		expect((await cli(fresh, 'restore-backup', junk)).stderr).toMatch(/not a Refinery backup/);
		expect((await cli(fresh, 'restore-backup', join(base, 'missing.db'))).code).toBe(1);
		const backupFile = join(base, 'backups', 'refinery-backup.db');
		expect((await cli(fresh, 'restore-backup', backupFile)).code).toBe(0);
		const again = await cli(fresh, 'restore-backup', backupFile);
		expect(again.code).toBe(0);
		expect(again.stderr).toMatch(/what was there is in .*before-restore-/);
	});
});
