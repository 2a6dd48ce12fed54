import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { startTcpBalancer, type TcpBalancer } from '../scale/tcpBalancer';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { tempDataDir } from '../testing/relayHarness';
import { startRelayProcesses, type ServerProcess } from '../testing/serverProcess';

/**
 * Real relay processes (`node server/main.ts` with REDIS_URL) on a real redis-server, stock
 * y-websocket clients: what several relays behind a load balancer must do.
 */
const dataDir = tempDataDir();
let redis: RedisServer | null = null;
let relays: ServerProcess[] = [];
let balancer: TcpBalancer | null = null;
const providers: WebsocketProvider[] = [];

afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	for (const relay of relays) relay.child.kill('SIGKILL');
	await Promise.all(relays.map((relay) => relay.exited));
	relays = [];
	await balancer?.close();
	balancer = null;
	await redis?.destroy();
	redis = null;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function setUp(count: number) {
	redis = await startRedisServer();
	relays = await startRelayProcesses(count, { redisUrl: redis.url, dataDir });
	return relays;
}
function client(syncUrl: string, roomId: string, key: string) {
	const provider = connectClient(syncUrl, roomId, key);
	providers.push(provider);
	return provider;
}
const numbers = (provider: WebsocketProvider) => provider.doc.getArray<string>('n').toArray();
const sameState = (providers: WebsocketProvider[]) =>
	providers.every((p) => Buffer.from(Y.encodeStateVector(p.doc)).equals(Buffer.from(Y.encodeStateVector(providers[0].doc))));

describe.each([2, 3])('%i relay processes sharing rooms through Redis', (count) => {
	it('clients spread over them converge, and presence crosses processes', { timeout: 60_000 }, async () => {
		const servers = await setUp(count);
		const { roomId, editKey } = await newRoom();
		const clients = Array.from({ length: count * 2 }, (_, i) => client(servers[i % count].syncUrl, roomId, editKey));
		await Promise.all(clients.map((c) => synced(c)));
		clients.forEach((c, i) => {
			c.awareness.setLocalStateField('user', { name: `user-${i}` });
			for (let j = 0; j < 20; j++) c.doc.getArray<string>('n').push([`${i}:${j}`]);
			c.doc.getText('t').insert(0, `${i} `);
		});
		await waitFor(() => clients.every((c) => numbers(c).length === count * 40), 15_000, 'every push everywhere');
		await waitFor(() => sameState(clients), 5000, 'equal state vectors');
		expect(new Set(clients.map((c) => c.doc.getText('t').toString())).size).toBe(1);
		for (const c of clients) expect(numbers(c)).toEqual(numbers(clients[0]));
		await waitFor(
			() => clients.every((c) => clients.every((other) => c.awareness.getStates().get(other.doc.clientID)?.user?.name !== undefined)),
			10_000,
			'everyone sees everyone'
		);
		// A closed connection's presence is removed on every relay at once.
		const leaving = clients[0];
		leaving.destroy();
		await waitFor(() => clients.slice(1).every((c) => !c.awareness.getStates().has(leaving.doc.clientID)), 2000, 'presence removed everywhere');
	});
});

describe('failures', () => {
	it('a relay killed with SIGKILL mid-edit: its clients reconnect to another, nothing is lost, its presence goes', { timeout: 90_000 }, async () => {
		const servers = await setUp(3);
		balancer = await startTcpBalancer(servers.map((s) => s.port));
		const viaBalancer = `ws://127.0.0.1:${balancer.port}/sync`;
		const { roomId, editKey } = await newRoom();
		const clients = Array.from({ length: 6 }, () => client(viaBalancer, roomId, editKey));
		await Promise.all(clients.map((c) => synced(c)));
		clients.forEach((c, i) => c.awareness.setLocalStateField('user', { name: `user-${i}` }));
		// An observer on a relay that survives, to watch presence go and come back.
		const observer = client(servers[1].syncUrl, roomId, editKey);
		await synced(observer);
		await waitFor(() => clients.every((c) => observer.awareness.getStates().has(c.doc.clientID)), 10_000, 'presence of all');

		const pushed = new Map<number, number>(clients.map((_, i) => [i, 0]));
		let editing = true;
		const editors = clients.map(async (c, i) => {
			while (editing) {
				c.doc.getArray<string>('n').push([`${i}:${pushed.get(i)}`]);
				pushed.set(i, pushed.get(i)! + 1);
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		});
		await new Promise((resolve) => setTimeout(resolve, 400));
		const victim = servers[0];
		victim.child.kill('SIGKILL');
		await victim.exited;
		await new Promise((resolve) => setTimeout(resolve, 600));
		editing = false;
		await Promise.all(editors);
		const total = [...pushed.values()].reduce((a, b) => a + b, 0);
		const everyone = [...clients, observer];
		await waitFor(() => everyone.every((c) => numbers(c).length === total), 20_000, `all ${total} pushes everywhere`);
		await waitFor(() => sameState(everyone), 5000, 'equal state vectors');
		// Every client is connected again, to a relay that is alive, and everyone is present again.
		await waitFor(() => clients.every((c) => c.wsconnected), 10_000, 'reconnected');
		await waitFor(() => clients.every((c) => observer.awareness.getStates().has(c.doc.clientID)), 20_000, 'presence back after reconnect');
		// Nothing lost in storage either: a fresh client on another relay gets it all.
		const fresh = client(servers[2].syncUrl, roomId, editKey);
		await synced(fresh);
		await waitFor(() => numbers(fresh).length === total, 5000, 'fresh client has everything');
		expect(new Set(numbers(fresh)).size).toBe(total);
	});

	it('the presence of a killed relay\'s clients goes away on the others', { timeout: 60_000 }, async () => {
		const servers = await setUp(2);
		const { roomId, editKey } = await newRoom();
		const doomed = client(servers[0].syncUrl, roomId, editKey);
		const observer = client(servers[1].syncUrl, roomId, editKey);
		await Promise.all([synced(doomed), synced(observer)]);
		doomed.awareness.setLocalStateField('user', { name: 'doomed' });
		await waitFor(() => observer.awareness.getStates().has(doomed.doc.clientID), 5000, 'presence');
		doomed.disconnect(); // so it does not reconnect anywhere
		servers[0].child.kill('SIGKILL');
		const started = Date.now();
		// Its close was never seen by anyone; the heartbeat (250 ms here, three missed) says it is gone.
		await waitFor(() => !observer.awareness.getStates().has(doomed.doc.clientID), 10_000, 'presence gone');
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('a relay that stalls past three heartbeats loses its clients\' presence elsewhere, and gets it back when it wakes', { timeout: 60_000 }, async () => {
		const servers = await setUp(2);
		const { roomId, editKey } = await newRoom();
		const sleeper = client(servers[0].syncUrl, roomId, editKey);
		const observer = client(servers[1].syncUrl, roomId, editKey);
		await Promise.all([synced(sleeper), synced(observer)]);
		sleeper.awareness.setLocalStateField('user', { name: 'sleeper' });
		await waitFor(() => observer.awareness.getStates().has(sleeper.doc.clientID), 5000, 'presence');
		servers[0].child.kill('SIGSTOP');
		await waitFor(() => !observer.awareness.getStates().has(sleeper.doc.clientID), 10_000, 'taken for dead');
		servers[0].child.kill('SIGCONT');
		const woke = Date.now();
		// Its socket never closed and its client renews only every 15 s: the relays must bring it back.
		await waitFor(() => observer.awareness.getStates().get(sleeper.doc.clientID)?.user?.name === 'sleeper', 10_000, 'presence back');
		expect(Date.now() - woke).toBeLessThan(5000);
	});

	it.each(['SIGTERM', 'SIGKILL'] as const)('Redis stopped with %s and restarted: relays reconnect, edits made during the outage land afterwards, nothing is lost', { timeout: 90_000 }, async (signal) => {
		const servers = await setUp(2);
		const { roomId, editKey } = await newRoom();
		const a = client(servers[0].syncUrl, roomId, editKey);
		const b = client(servers[1].syncUrl, roomId, editKey);
		await Promise.all([synced(a), synced(b)]);
		a.doc.getText('t').insert(0, 'before ');
		await waitFor(() => b.doc.getText('t').toString() === 'before ', 5000, 'first edit');

		// appendfsync always: a crash (SIGKILL) loses nothing Redis acknowledged either.
		await redis!.stop(signal);
		// During the outage: edits on both sides. Each relay refuses to store them (the sender sees
		// its connection close with 1011 and keeps the edit), and new connections are refused.
		a.doc.getText('t').insert(a.doc.getText('t').length, 'during-a ');
		b.doc.getMap('m').set('during', 'b');
		const closes: number[] = [];
		a.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
		await waitFor(() => closes.includes(1011), 5000, 'the outage is visible: 1011');
		await new Promise((resolve) => setTimeout(resolve, 500));

		await redis!.restart();
		await waitFor(
			() => [a, b].every((p) => p.doc.getText('t').toString() === 'before during-a ' && p.doc.getMap('m').get('during') === 'b'),
			20_000,
			'outage edits on both sides'
		);
		// And in Redis: fresh clients on each relay get everything.
		for (const server of servers) {
			const fresh = client(server.syncUrl, roomId, editKey);
			await synced(fresh, 10_000);
			await waitFor(() => fresh.doc.getText('t').toString() === 'before during-a ' && fresh.doc.getMap('m').get('during') === 'b', 5000, 'fresh client');
		}
		// The relays log what happened: the edit a relay could not store was refused (kept nowhere but
		// in the client, which sent it again once Redis was back).
		expect(servers[0].lines.some((line) => line.includes('could not store update'))).toBe(true);
		expect(servers[0].lines.some((line) => line.includes('redis connection lost'))).toBe(true);
		expect(servers[0].lines.some((line) => line.includes('redis connection back'))).toBe(true);
	});
});
