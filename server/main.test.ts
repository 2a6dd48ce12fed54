import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from './testing/clients';
import { tempDataDir } from './testing/relayHarness';
import { startServerProcess, type ServerProcess } from './testing/serverProcess';

const dirs: string[] = [];
const children: ServerProcess[] = [];
afterAll(() => {
	for (const child of children) child.child.kill('SIGKILL');
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, port?: number) {
	const server = await startServerProcess({ dataDir, port });
	children.push(server);
	return server;
}

const text = (provider: WebsocketProvider) => provider.doc.getText('t').toString();

describe.each(['SIGTERM', 'SIGKILL'] as const)('the real server, restarted with %s', (signal) => {
	it('keeps everything a client saw, and takes edits made while disconnected', { timeout: 60_000 }, async () => {
		const dataDir = tempDataDir();
		dirs.push(dataDir);
		const first = await start(dataDir);
		const { roomId, editKey } = await newRoom();
		const a = connectClient(first.syncUrl, roomId, editKey);
		const b = connectClient(first.syncUrl, roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.doc.getText('t').insert(0, 'A1 ');
		b.doc.getText('t').insert(0, 'B1 ');
		for (let i = 0; i < 30; i++) a.doc.getArray<number>('n').push([i]);
		await waitFor(() => text(a).length === 6 && text(b).length === 6 && b.doc.getArray('n').length === 30, 5000, 'first edits');
		const seen = text(b);

		first.child.kill(signal);
		const exit = await first.exited;
		if (signal === 'SIGTERM') {
			expect(exit.code).toBe(0);
			expect(first.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
		}
		await waitFor(() => !a.wsconnected && !b.wsconnected, 5000, 'disconnect');
		// Offline edits on both sides; stop the providers so the restart is checked from storage first.
		a.disconnect();
		b.disconnect();
		a.doc.getText('t').insert(0, 'A-offline ');
		b.doc.getMap('m').set('offline', 'B');

		const second = await start(dataDir, first.port);
		const fresh = connectClient(second.syncUrl, roomId, editKey);
		await synced(fresh);
		expect(text(fresh)).toBe(seen);
		expect(fresh.doc.getArray('n').length).toBe(30);

		a.connect();
		b.connect();
		await waitFor(
			() => [a, b, fresh].every((p) => text(p).includes('A-offline') && p.doc.getMap('m').get('offline') === 'B'),
			10_000,
			'offline edits after reconnect'
		);
		expect(text(a)).toBe(text(fresh));
		expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(fresh.doc));
		for (const provider of [a, b, fresh]) provider.destroy();
		second.child.kill('SIGTERM');
		expect((await second.exited).code).toBe(0);
	});
});

describe('the real server over HTTP', () => {
	it('serves /healthz, /metrics and a clear 503 page or the app', { timeout: 30_000 }, async () => {
		const dataDir = tempDataDir();
		dirs.push(dataDir);
		const server = await start(dataDir);
		const health = await (await fetch(`${server.httpUrl}/healthz`)).json();
		expect(health).toMatchObject({ status: 'ok', rooms: 0, connections: 0 });
		expect(typeof health.uptime).toBe('number');
		const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
		expect(metrics).toContain('refinery_rejected_connections_total');
		expect(metrics).toContain('process_resident_memory_bytes');
		const page = await fetch(`${server.httpUrl}/`);
		expect([200, 503]).toContain(page.status);
		if (page.status === 503) expect(await page.text()).toContain('npm run build');
		server.child.kill('SIGINT');
		expect((await server.exited).code).toBe(0);
	});
});
