import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType } from './protocol';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { FuzzFrames, prng, type FrameKind } from '../testing/fuzzFrames';
import { tempDataDir } from '../testing/relayHarness';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';

const SEED = Number(process.env.FUZZ_SEED ?? 20250501);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 10_000);
const WORKERS = 16;
const QUERY_AWARENESS = Uint8Array.of(MessageType.queryAwareness);

let server: ServerProcess | null = null;
const dataDir = tempDataDir();
afterAll(() => {
	server?.child.kill('SIGKILL');
	rmSync(dataDir, { recursive: true, force: true });
});

function rssBytes(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(match![1]) * 1024;
}

async function heapUsed(test: ServerProcess): Promise<number> {
	return ((await (await fetch(`${test.httpUrl}/healthz`)).json()) as { heapUsed: number }).heapUsed;
}

/**
 * Send one frame, then a query-awareness probe. The relay answers the probe only if the
 * frame did not close the connection, so each frame is known to have been handled.
 * Resolves false when the connection was closed.
 */
function sendAndProbe(ws: WebSocket, frame: Uint8Array): Promise<boolean> {
	return new Promise((resolve) => {
		const done = (alive: boolean) => {
			ws.off('message', onMessage);
			ws.off('close', onClose);
			resolve(alive);
		};
		const onMessage = (data: Buffer) => {
			if (data[0] === MessageType.awareness) done(true);
		};
		const onClose = () => done(false);
		ws.on('message', onMessage);
		ws.on('close', onClose);
		ws.send(frame, (error) => error && done(false));
		if (ws.readyState === WebSocket.OPEN) ws.send(QUERY_AWARENESS, () => {});
	});
}

function open(url: string): Promise<WebSocket | null> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url);
		ws.on('error', () => resolve(null));
		ws.once('open', () => resolve(ws));
		ws.once('close', () => resolve(null));
	});
}

describe('fuzz: hostile frames against a live relay', () => {
	it(`survives ${FRAMES} random and mutated frames (seed ${SEED}); good clients keep syncing`, { timeout: 90_000 }, async () => {
		server = await startServerProcess({
			dataDir,
			env: { LOG_LEVEL: 'error', MAX_FRAME_BYTES: String(1024 * 1024), COMPACT_AFTER_UPDATES: '200' }
		});
		const test = server;
		const fuzzed = await newRoom();
		const other = await newRoom();
		const providers: WebsocketProvider[] = [];
		const client = (room: typeof fuzzed) => {
			const provider = connectClient(test.syncUrl, room.roomId, room.editKey);
			providers.push(provider);
			return provider;
		};
		const [a, b, c, d] = [client(fuzzed), client(fuzzed), client(other), client(other)];
		await Promise.all([a, b, c, d].map((p) => synced(p)));
		const random = prng(SEED);
		let goodEdits = 0;
		const editing = setInterval(() => {
			const provider = [a, b, c, d][goodEdits % 4];
			provider.doc.getArray<string>('good').push([`edit ${goodEdits++}`]);
		}, 20);

		// One 32 MiB frame: refused by the frame limit from its header, never buffered.
		const huge = await open(`${test.syncUrl}/${fuzzed.roomId}?key=${fuzzed.editKey}`);
		const hugeClosed = new Promise<number>((resolve) => huge!.on('close', (code) => resolve(code)));
		huge!.send(new Uint8Array(32 * 1024 * 1024), () => {});
		expect(await hugeClosed).toBe(1009);

		const counts = new Map<FrameKind, number>();
		let sent = 0;
		let closedByRelay = 0;
		let baseline = { heap: 0, rss: 0 };
		let baselineTaken = false;
		const worker = async (index: number) => {
			const frames = new FuzzFrames(SEED * 31 + index);
			let ws: WebSocket | null = null;
			while (sent < FRAMES) {
				if (!ws) {
					const room = random() < 0.8 ? fuzzed : other;
					ws = await open(`${test.syncUrl}/${room.roomId}?key=${room.editKey}`);
					if (!ws) continue;
				}
				const { kind, frame } = frames.next();
				sent++;
				counts.set(kind, (counts.get(kind) ?? 0) + 1);
				if (!(await sendAndProbe(ws, frame))) {
					closedByRelay++;
					ws = null;
				}
				if (sent >= 1000 && !baselineTaken) {
					baselineTaken = true;
					baseline = { heap: await heapUsed(test), rss: rssBytes(test.child.pid!) };
				}
			}
			ws?.close();
			frames.destroy();
		};
		await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
		clearInterval(editing);

		// The process is up and answers.
		expect(test.child.exitCode).toBeNull();
		const health = await (await fetch(`${test.httpUrl}/healthz`)).json();
		expect(health.status).toBe('ok');
		expect(closedByRelay).toBeGreaterThan(FRAMES / 4);
		for (const kind of ['random', 'truncated', 'overlongVarint', 'wrongType', 'hugeLength', 'corruptUpdate', 'badAwarenessJson'] as const) {
			expect(counts.get(kind) ?? 0).toBeGreaterThan(FRAMES / 40);
		}

		// The good clients never lost their connection and converge, in both rooms.
		const marker = `final ${Date.now()}`;
		a.doc.getMap('end').set('a', marker);
		c.doc.getMap('end').set('c', marker);
		await waitFor(() => b.doc.getMap('end').get('a') === marker && d.doc.getMap('end').get('c') === marker, 10_000, 'final edits');
		await waitFor(() => a.doc.getArray('good').length === b.doc.getArray('good').length && c.doc.getArray('good').length === d.doc.getArray('good').length, 10_000, 'convergence');
		expect(a.doc.getArray('good').toJSON()).toEqual(b.doc.getArray('good').toJSON());
		expect(c.doc.getArray('good').toJSON()).toEqual(d.doc.getArray('good').toJSON());
		expect(a.doc.getArray('good').length + c.doc.getArray('good').length).toBe(goodEdits);
		expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
		for (const provider of providers) expect(provider.wsconnected).toBe(true);
		// A newcomer sees the same document as the long-lived clients.
		const late = client(fuzzed);
		await synced(late);
		await waitFor(() => late.doc.getArray('good').length === a.doc.getArray('good').length);
		expect(late.doc.getText('t').toString()).toBe(a.doc.getText('t').toString());

		// Memory stays bounded: no growth beyond a margin after the first thousand frames.
		const heap = await heapUsed(test);
		const rss = rssBytes(test.child.pid!);
		expect(heap - baseline.heap).toBeLessThan(64 * 1024 * 1024);
		expect(rss).toBeLessThan(Math.max(baseline.rss * 2, 400 * 1024 * 1024));
		console.log(`fuzz seed ${SEED}: ${sent} frames, ${closedByRelay} connections closed by the relay, heap ${(baseline.heap / 2 ** 20).toFixed(0)} → ${(heap / 2 ** 20).toFixed(0)} MiB, rss ${(baseline.rss / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MiB`);
		for (const provider of providers) provider.destroy();
	});
});
