import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from '../relay/closeCodes';
import { encodeUpdate } from '../relay/protocol';
import { awarenessFrame, cpuBomb, EchoProbe, measureWhile, neverResolving, percentile } from '../testing/attacks';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { startRedisServer, type RedisServer } from '../testing/redisServer';
import { tempDataDir } from '../testing/relayHarness';
import { startRelayProcesses, type ServerProcess } from '../testing/serverProcess';

/**
 * Must show 10 (issue 12): Must show 1, 5 and 6 with two relay processes sharing rooms through
 * a real Redis, the attacker on one relay and the people it attacks on both.
 */
const dataDir = tempDataDir();
let redis: RedisServer;
let relays: ServerProcess[];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	redis = await startRedisServer();
	relays = await startRelayProcesses(2, { redisUrl: redis.url, dataDir });
}, 120_000);
afterAll(async () => {
	for (const provider of providers) provider.destroy();
	for (const relay of relays ?? []) relay.child.kill('SIGKILL');
	await Promise.all((relays ?? []).map((relay) => relay.exited));
	await redis?.destroy();
	rmSync(dataDir, { recursive: true, force: true });
});

function client(relay: ServerProcess, roomId: string, key: string) {
	const provider = connectClient(relay.syncUrl, roomId, key);
	providers.push(provider);
	return provider;
}

async function rawIn(relay: ServerProcess, roomId: string, key: string) {
	const session = rawSession(`${relay.syncUrl}/${roomId}?key=${key}`);
	await new Promise<void>((resolve) => session.socket.once('open', () => resolve()));
	return session;
}

describe('two relays through Redis', () => {
	it('CPU bomb (n = 16,000) into a room on one relay: other rooms on both relays stay under 200 ms at p99', { timeout: 90_000 }, async () => {
		const probes: EchoProbe[] = [];
		for (const relay of relays) {
			const { roomId, editKey } = await newRoom();
			const probe = new EchoProbe(`${relay.syncUrl}/${roomId}?key=${editKey}`);
			await probe.opened;
			probes.push(probe);
		}
		for (let i = 0; i < 20; i++) for (const probe of probes) await probe.echo();
		const { chain, bombs: [whole] } = cpuBomb(16_000);
		const { bombs } = cpuBomb(16_000, 1000);
		const { roomId, editKey } = await newRoom();
		const { echoes, health } = await measureWhile(probes, `${relays[1].httpUrl}/healthz`, async () => {
			const refused = await rawIn(relays[0], roomId, editKey);
			refused.socket.send(encodeUpdate(chain));
			refused.socket.send(encodeUpdate(whole));
			await refused.closed;
			expect(refused.closeCode).toBe(CloseCode.overBudget);
			const accepted = await rawIn(relays[0], roomId, editKey);
			for (const bomb of bombs) accepted.socket.send(encodeUpdate(bomb));
			const last = Buffer.from(encodeUpdate(bombs[bombs.length - 1]));
			await waitFor(() => accepted.frames.some((frame) => frame.equals(last)), 60_000, 'last part stored');
			// The other relay has it too, from the shared log.
			const watcher = await rawIn(relays[1], roomId, editKey);
			watcher.socket.send(Uint8Array.of(0, 0, 1, 0));
			await waitFor(() => watcher.frames.some((frame) => frame[0] === 0 && frame[1] === 1 && frame.byteLength > chain.byteLength), 30_000, 'sync step 2 on the other relay');
			accepted.socket.terminate();
			watcher.socket.terminate();
		});
		for (const probe of probes) probe.close();
		console.log(`Redis CPU bomb: ${echoes.length} echoes p99 ${percentile(echoes, 99).toFixed(1)} ms; /healthz p99 ${percentile(health, 99).toFixed(1)} ms`);
		expect(percentile(echoes, 99)).toBeLessThan(200);
		expect(percentile(health, 99)).toBeLessThan(200);
		expect(relays.every((relay) => relay.child.exitCode === null)).toBe(true);
	});

	it("presence: a view key's state for a client on the other relay is dropped; deep states and floods are refused", { timeout: 30_000 }, async () => {
		const { roomId, editKey, viewKey } = await newRoom();
		const victim = client(relays[1], roomId, editKey);
		const observer = client(relays[0], roomId, editKey);
		await Promise.all([synced(victim), synced(observer)]);
		victim.awareness.setLocalStateField('user', { name: 'Ada' });
		await waitFor(() => observer.awareness.getStates().get(victim.doc.clientID)?.user?.name === 'Ada', 5000, 'presence across relays');
		const forger = await rawIn(relays[0], roomId, viewKey);
		const clock = victim.awareness.meta.get(victim.doc.clientID)!.clock;
		forger.socket.send(awarenessFrame([victim.doc.clientID, clock + 5, JSON.stringify({ user: { name: 'Mallory' } })]));
		await new Promise((resolve) => setTimeout(resolve, 500));
		for (const relay of relays) {
			const newcomer = client(relay, roomId, editKey);
			await synced(newcomer);
			await waitFor(() => newcomer.awareness.getStates().has(victim.doc.clientID), 5000, 'newcomer sees the victim');
			expect(newcomer.awareness.getStates().get(victim.doc.clientID)?.user?.name).toBe('Ada');
		}
		expect(observer.awareness.getStates().get(victim.doc.clientID)?.user?.name).toBe('Ada');
		forger.socket.terminate();
		const deep = await rawIn(relays[0], roomId, editKey);
		deep.socket.send(awarenessFrame([987654, 1, '['.repeat(20_000) + ']'.repeat(20_000)]));
		await deep.closed;
		expect(deep.closeCode).toBe(CloseCode.overBudget);
		const flood = await rawIn(relays[1], roomId, editKey);
		flood.socket.send(awarenessFrame(...Array.from({ length: 5000 }, (_, i) => [1_000_000 + i, 1, '{}'] as [number, number, string])));
		await flood.closed;
		expect(flood.closeCode).toBe(CloseCode.overBudget);
		const next = client(relays[0], roomId, editKey);
		await synced(next);
		await waitFor(() => next.awareness.getStates().get(victim.doc.clientID)?.user?.name === 'Ada', 5000, 'the next join');
	});

	it('64 MiB of never-resolving updates on one relay: honest edits on both relays are accepted and reach everyone', { timeout: 60_000 }, async () => {
		const { roomId, editKey } = await newRoom();
		const alice = client(relays[0], roomId, editKey);
		const bob = client(relays[1], roomId, editKey);
		await Promise.all([synced(alice), synced(bob)]);
		const attacker = await rawIn(relays[0], roomId, editKey);
		for (let i = 0; i < 64 && attacker.closeCode === null; i++) {
			attacker.socket.send(encodeUpdate(neverResolving(424242 + i, 1024 * 1024 - 64)));
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		await attacker.closed;
		expect(attacker.closeCode).toBe(CloseCode.overBudget);
		alice.doc.getText('t').insert(0, 'alice ');
		bob.doc.getText('t').insert(0, 'bob ');
		await waitFor(() => alice.doc.getText('t').length === 10 && alice.doc.getText('t').toString() === bob.doc.getText('t').toString(), 10_000, 'honest edits on both relays');
		const carol = client(relays[1], roomId, editKey);
		await synced(carol);
		await waitFor(() => carol.doc.getText('t').toString() === alice.doc.getText('t').toString(), 5000, 'joiner');
		expect(carol.doc.store.pendingStructs).toBeNull();
	});
});
