import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createItem } from '../../shared/items';
import { addCriterion } from '../../shared/criteria';
import { getItems, getRankLog } from '../../shared/doc';
import { setEstimate } from '../../shared/estimates';
import { exportRoom } from '../../shared/exportJson';
import { restoreRoomFromVersion } from '../../shared/history/restore';
import { listVersions, readVersion, readVersionState, saveVersion, versionsPath, VersionsApiError } from '../../shared/history/versionsApi';
import { readRoomState } from '../../shared/history/roomState';
import { localOrigin } from '../../shared/origins';
import { splitItem } from '../../shared/split';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../main';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { tempDataDir } from '../testing/relayHarness';

const owner = localOrigin('owner');
const dirs: string[] = [];
const running: RunningServer[] = [];
let redis: RedisServer;

beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	for (const server of running) await server.close();
	await redis.destroy();
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<{ base: string; sync: string; server: RunningServer }> {
	const dataDir = tempDataDir();
	dirs.push(dataDir);
	const server = await startServer({ ...loadConfig({ LOG_LEVEL: 'silent', ...env }), port: 0, host: '127.0.0.1', dataDir }, { buildDir: '/nonexistent' });
	running.push(server);
	return { base: `http://127.0.0.1:${server.port}`, sync: `ws://127.0.0.1:${server.port}/sync`, server };
}

/** A room with a tree, criteria, an estimate, labels and a trashed item, as an owner's client made it. */
function fill(doc: Y.Doc): void {
	createItem(doc, { id: 'a', title: 'Login', labels: ['auth'] }, owner);
	createItem(doc, { id: 'b', title: 'Checkout' }, owner);
	createItem(doc, { id: 't', title: 'Trashed' }, owner);
	addCriterion(doc, 'b', 'Card payments', owner, 'k1');
	setEstimate(doc, 'a', '8', owner);
	splitItem(doc, 'b', [{ id: 'b1', title: 'Pay by card', criteria: ['k1'] }], owner);
	getItems(doc).get('t')!.set('deletedAt', 5);
}
const json = (doc: Y.Doc) => JSON.stringify({ ...exportRoom(doc, new Date(0)) });
const status = async (promise: Promise<unknown>) => promise.then(() => 200, (error: unknown) => (error instanceof VersionsApiError ? error.status : -1));

describe('the history API', () => {
	it('takes the key from the Authorization header only: a view key lists and reads, an edit key also saves', async () => {
		const { base, sync } = await start();
		const { roomId, editKey, viewKey } = await newRoom();
		const client = connectClient(sync, roomId, editKey);
		await synced(client);
		fill(client.doc);
		await waitFor(() => client.synced, 5000, 'sync');
		await new Promise((resolve) => setTimeout(resolve, 100));
		const saved = await saveVersion(base, roomId, editKey, { name: ' Before  planning ' });
		expect(saved).toMatchObject({ taken: true, version: { name: 'Before planning', reason: 'manual' } });
		const versions = await listVersions(base, roomId, viewKey);
		expect(versions.map((v) => v.id)).toEqual([saved.version.id]);
		const state = await readVersion(base, roomId, viewKey, saved.version.id);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, state);
		expect(json(copy)).toEqual(json(client.doc));
		// Its plain state, for comparing without decoding it: what the app and the CLI read.
		expect(await readVersionState(base, roomId, viewKey, saved.version.id)).toEqual(readRoomState(client.doc));
		const plain = await fetch(`${base}${versionsPath(roomId, saved.version.id)}`, { headers: { authorization: `Bearer ${viewKey}`, accept: 'application/json', 'accept-encoding': 'gzip' } });
		expect(plain.headers.get('content-encoding')).toBe('gzip');
		expect(plain.headers.get('vary')).toContain('Accept');
		expect(await status(readVersionState(base, roomId, viewKey, 999))).toBe(404);
		expect(await status(saveVersion(base, roomId, viewKey))).toBe(403);
		expect(await status(listVersions(base, roomId, (await newRoom()).editKey))).toBe(403);
		// A key in the URL opens nothing.
		const inUrl = await fetch(`${base}/api/rooms/${roomId}/versions?key=${editKey}`);
		expect(inUrl.status).toBe(401);
		expect(await status(readVersion(base, roomId, viewKey, 999))).toBe(404);
		const post = (body: string) => fetch(`${base}/api/rooms/${roomId}/versions`, { method: 'POST', headers: { authorization: `Bearer ${editKey}` }, body });
		expect((await post(JSON.stringify({ reason: 'quiet' }))).status).toBe(400);
		expect((await post('{"name":' + '"x'.repeat(3000))).status).toBe(413);
		expect((await post(JSON.stringify({ name: 'x'.repeat(121) }))).status).toBe(400);
		const answers = await Promise.all(Array.from({ length: 12 }, () => post('{}').then((r) => r.status)));
		expect(answers).toContain(429);
		client.destroy();
	});

	it('in Redis mode, a wipe through one relay is restored from a version read through the other, for everyone', { timeout: 30_000 }, async () => {
		const one = await start({ REDIS_URL: redis.url });
		const two = await start({ REDIS_URL: redis.url });
		const { roomId, editKey, viewKey } = await newRoom();
		const ownerClient = connectClient(one.sync, roomId, editKey);
		await synced(ownerClient);
		fill(ownerClient.doc);
		const before = json(ownerClient.doc);
		const watcher = connectClient(two.sync, roomId, viewKey);
		await synced(watcher);
		await waitFor(() => json(watcher.doc) === before, 5000, 'the room on the second relay');
		const { version } = await saveVersion(one.base, roomId, editKey, { reason: 'manual' });

		// An attacker with the edit key, on the second relay, removes every item, trash included.
		const attacker = connectClient(two.sync, roomId, editKey);
		await synced(attacker);
		attacker.doc.transact(() => {
			for (const id of [...getItems(attacker.doc).keys()]) getItems(attacker.doc).delete(id);
			getRankLog(attacker.doc).delete(0, getRankLog(attacker.doc).length);
		});
		await waitFor(() => getItems(ownerClient.doc).size === 0 && getItems(watcher.doc).size === 0, 5000, 'the wipe');

		// A view-key connection forges a restore: the relay stores nothing of it.
		const forger = connectClient(one.sync, roomId, viewKey);
		await synced(forger);
		const versionDoc = new Y.Doc();
		Y.applyUpdate(versionDoc, await readVersion(two.base, roomId, viewKey, version.id));
		restoreRoomFromVersion(forger.doc, versionDoc, localOrigin('forger'));
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(getItems(watcher.doc).size).toBe(0);
		forger.destroy();

		// The owner saves a version before restoring, then restores.
		expect((await saveVersion(one.base, roomId, editKey, { reason: 'before-restore' })).taken).toBe(true);
		restoreRoomFromVersion(ownerClient.doc, versionDoc, owner);
		await waitFor(() => json(watcher.doc) === before, 5000, 'the restore on the second relay');
		const late = connectClient(two.sync, roomId, viewKey);
		await synced(late);
		await waitFor(() => json(late.doc) === before, 5000, 'the restore for a newcomer');
		expect((await listVersions(two.base, roomId, viewKey)).map((v) => v.reason)).toEqual(['before-restore', 'manual']);
		for (const client of [ownerClient, watcher, attacker, late]) client.destroy();
	});
});
