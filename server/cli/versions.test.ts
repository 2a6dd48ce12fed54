import { rmSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getItems } from '../../shared/doc';
import { exportRoom } from '../../shared/exportJson';
import { saveVersion, versionsPath } from '../../shared/history/versionsApi';
import { ADMIN_TOKEN_HEADER, adminTokenPath, readAdminToken } from '../access/adminToken';
import { createItem } from '../../shared/items';
import { localOrigin } from '../../shared/origins';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../main';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startRedisServer } from '../testing/redisServer';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess } from '../testing/serverProcess';
import { main } from './rooms';

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const me = localOrigin('me');

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
	return startServer({ ...loadConfig({ LOG_LEVEL: 'silent', ...env }), port: 0, host: '127.0.0.1', dataDir }, { buildDir: '/nonexistent' });
}

async function run(dataDir: string, args: string[], extra: { port?: number; roomKey?: string; redisUrl?: string } = {}) {
	let stdout = '';
	let stderr = '';
	const code = await main(args, { dataDir, ...extra, out: (t) => (stdout += t), err: (t) => (stderr += t) });
	return { code, stdout, stderr };
}

const wipe = (doc: Y.Doc) => doc.transact(() => [...getItems(doc).keys()].forEach((id) => getItems(doc).delete(id)));
const json = (doc: Y.Doc) => JSON.stringify(exportRoom(doc, new Date(0)));

describe('rooms CLI: versions and restore', () => {
	it('lists versions, restores on a stopped data directory, and restores through a running relay with the edit key', { timeout: 30_000 }, async () => {
		const dataDir = tempDataDir();
		dirs.push(dataDir);
		let server = await start(dataDir);
		const base = () => `http://127.0.0.1:${server.port}`;
		const sync = () => `ws://127.0.0.1:${server.port}/sync`;
		const { roomId, editKey, viewKey } = await newRoom();
		let client = connectClient(sync(), roomId, editKey);
		await synced(client);
		for (let i = 0; i < 5; i++) createItem(client.doc, { id: `i${i}`, title: `Item ${i}` }, me);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const expected = json(client.doc);
		const { version } = await saveVersion(base(), roomId, editKey, { name: 'Good state' });
		wipe(client.doc);
		await new Promise((resolve) => setTimeout(resolve, 200));
		client.destroy();

		const listed = await run(dataDir, ['versions', roomId]);
		expect(listed.code).toBe(0);
		expect(listed.stdout).toContain('Good state');

		// Stopped: the restore is appended to the room's log; the relay started again serves it.
		const port = server.port;
		await server.close();
		expect((await run(dataDir, ['restore', roomId, String(version.id)], { port })).code).toBe(0);
		server = await start(dataDir);
		client = connectClient(sync(), roomId, editKey);
		await synced(client);
		await waitFor(() => json(client.doc) === expected, 5000, 'the offline restore');

		// Running: through the relay, as a client holding the edit key.
		wipe(client.doc);
		await waitFor(() => getItems(client.doc).size === 0, 5000, 'the second wipe');
		// A view key cannot restore.
		expect((await run(dataDir, ['restore', roomId, String(version.id), '--url', base()], { roomKey: viewKey })).code).toBe(1);
		const through = await run(dataDir, ['restore', roomId, String(version.id), '--url', base()], { roomKey: editKey });
		expect(through.code).toBe(0);
		await waitFor(() => json(client.doc) === expected, 5000, 'the restore through the relay');
		expect((await run(dataDir, ['versions', roomId])).stdout).toContain('before-restore');
		client.destroy();
		await server.close();
	});

	it('with Redis, restores through the shared log while the relay runs, without the room key', { timeout: 30_000 }, async () => {
		const redis = await startRedisServer();
		const dataDir = tempDataDir();
		dirs.push(dataDir);
		const server = await start(dataDir, { REDIS_URL: redis.url });
		try {
			const { roomId, editKey } = await newRoom();
			const client = connectClient(`ws://127.0.0.1:${server.port}/sync`, roomId, editKey);
			await synced(client);
			for (let i = 0; i < 4; i++) createItem(client.doc, { id: `r${i}`, title: `Shared ${i}` }, me);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const expected = json(client.doc);
			const { version } = await saveVersion(`http://127.0.0.1:${server.port}`, roomId, editKey, { reason: 'manual' });
			wipe(client.doc);
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect((await run(dataDir, ['versions', roomId], { redisUrl: redis.url })).stdout).toContain('manual');
			expect((await run(dataDir, ['restore', roomId, String(version.id)], { redisUrl: redis.url })).code).toBe(0);
			await waitFor(() => json(client.doc) === expected, 5000, 'the restore through the shared log');
			client.destroy();
		} finally {
			await server.close();
			await redis.destroy();
		}
	});

	it('restores through a running relay process without the room key, with the operator token it keeps in DATA_DIR', { timeout: 60_000 }, async () => {
		const dataDir = tempDataDir();
		dirs.push(dataDir);
		const relay = await startServerProcess({ dataDir });
		try {
			const { roomId, editKey } = await newRoom();
			const client = connectClient(relay.syncUrl, roomId, editKey);
			await synced(client);
			for (let i = 0; i < 5; i++) createItem(client.doc, { id: `p${i}`, title: `Process ${i}` }, me);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const expected = json(client.doc);
			const { version } = await saveVersion(relay.httpUrl, roomId, editKey, { name: 'Good state' });
			wipe(client.doc);
			await waitFor(() => getItems(client.doc).size === 0, 5000, 'the wipe');

			const token = readAdminToken(dataDir)!;
			expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(statSync(adminTokenPath(dataDir)).mode & 0o777).toBe(0o600);
			// The token opens nothing from a URL, nothing through a proxy, and a wrong one opens nothing.
			const list = (headers: Record<string, string>, query = '') => fetch(`${relay.httpUrl}${versionsPath(roomId)}${query}`, { headers }).then((r) => r.status);
			expect(await list({ [ADMIN_TOKEN_HEADER]: token })).toBe(200);
			expect(await list({}, `?key=${token}`)).toBe(401);
			expect(await list({ [ADMIN_TOKEN_HEADER]: token, 'x-forwarded-for': '203.0.113.9' })).toBe(401);
			expect(await list({ [ADMIN_TOKEN_HEADER]: token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })).toBe(401);

			const restored = await run(dataDir, ['restore', roomId, String(version.id)], { port: relay.port });
			expect(restored.stderr).toContain('through the relay');
			expect(restored.code).toBe(0);
			await waitFor(() => json(client.doc) === expected, 5000, 'the restore through the relay');
			const versions = await run(dataDir, ['versions', roomId]);
			expect(versions.stdout).toContain('before-restore');
			// What the wipe did, from the versions' plain states, beside the running relay.
			const wiped = Number(/^\s*(\d+)\s.*before-restore/m.exec(versions.stdout)![1]);
			const changes = await run(dataDir, ['changes', roomId, String(version.id), String(wiped)]);
			expect(changes.code).toBe(0);
			expect(changes.stdout.split('\n').filter((line) => line.trim() === 'removed')).toHaveLength(5);
			expect(changes.stdout).toContain('"Process 0"');
			expect(relay.lines.join('\n')).not.toContain(token);
			client.destroy();
		} finally {
			relay.child.kill('SIGTERM');
			await relay.exited;
		}
		// A relay that stopped takes its token with it.
		expect(readAdminToken(dataDir)).toBeNull();
	});
});
