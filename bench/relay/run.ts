import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { keyCheck, deriveViewKey } from '../../server/access/keys';
import { newRoomId } from '../../shared/ids';
import { SqliteStore } from '../../server/persistence/SqliteStore';
import { freePort } from '../../server/testing/serverProcess';
import { fmt, median, quantile } from '../stats';
import { BenchClient } from './benchClient';
import { encodeUpdate } from '../../server/relay/protocol';

/**
 * Relay benchmarks (issue 3): our relay (persistence on), the reference relay and a raw
 * rebroadcast server, each in its own process; clients live in this process.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Kind = 'ours' | 'reference' | 'raw';
const KINDS: Kind[] = ['ours', 'reference', 'raw'];
const SCRIPT: Record<Kind, string> = { ours: 'bench/relay/servers/ours.ts', reference: 'bench/relay/servers/reference.ts', raw: 'bench/relay/servers/raw.ts' };

const ROOMS = 50;
const CLIENTS_PER_ROOM = 10;
const WRITERS_PER_ROOM = 2;
const WRITE_INTERVAL_MS = Number(process.env.BENCH_WRITE_INTERVAL_MS ?? 100);
const WARMUP_MS = 2000;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 15_000);
const TICKS_PER_SECOND = 100;

/** Every server started, so none outlives a failed run. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

interface Running {
	kind: Kind;
	child: ChildProcess;
	port: number;
	dataDir: string;
}

async function startServer(kind: Kind, dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-'))): Promise<Running> {
	const port = await freePort();
	const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
	const child = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', SCRIPT[kind]], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	// Generous: on a loaded machine starting node with tsx alone can take tens of seconds.
	const deadline = Date.now() + 90_000;
	for (;;) {
		if (Date.now() > deadline) throw new Error(`${kind} server did not start`);
		try {
			if ((await fetch(`http://127.0.0.1:${port}/bench/mem`)).ok) break;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	return { kind, child, port, dataDir };
}

async function stopServer(server: Running, removeData = true): Promise<void> {
	const exited = new Promise((resolve) => server.child.once('exit', resolve));
	server.child.kill('SIGTERM');
	await exited;
	if (removeData) rmSync(server.dataDir, { recursive: true, force: true });
}

/** utime and stime of a process, in seconds (from /proc, so the server needs no cooperation). */
function cpuTimes(pid: number): { user: number; system: number } {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/** CPU seconds per thread name (the main thread is the one whose tid is the pid). */
function threadTimes(pid: number): Map<string, number> {
	const times = new Map<string, number>();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		let stat: string;
		try {
			stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
		} catch {
			continue;
		}
		const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid}`;
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		times.set(name, (times.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
	}
	return times;
}

async function memory(server: Running): Promise<{ rss: number; heapUsed: number }> {
	return (await (await fetch(`http://127.0.0.1:${server.port}/bench/mem`)).json()) as { rss: number; heapUsed: number };
}

/** A room id with a working key for every server (the others ignore the key). */
async function newRoom(): Promise<{ roomId: string; key: string }> {
	return { roomId: newRoomId(), key: newRoomId() };
}

const url = (server: Running, room: { roomId: string; key: string }) => `ws://127.0.0.1:${server.port}/sync/${room.roomId}?key=${room.key}`;

async function connectAll(server: Running, rooms: { roomId: string; key: string }[], perRoom: number, concurrency = 50): Promise<BenchClient[]> {
	const handshake = server.kind !== 'raw';
	const jobs = rooms.flatMap((room) => Array.from({ length: perRoom }, () => room));
	const clients: BenchClient[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < jobs.length) {
				const client = new BenchClient(url(server, jobs[next++]), { handshake });
				clients.push(client);
				await client.opened;
				if (handshake) await client.synced;
			}
		})
	);
	return clients;
}

interface FanOut {
	p50: number;
	p99: number;
	cpuPercent: number;
	/** The kernel's share of cpuPercent (system calls: sockets, and for ours the SQLite file). */
	systemPercent: number;
	updatesPerSecond: number;
	/** CPU per update sent, in µs: comparable even when a loaded machine sends fewer updates. */
	cpuMicrosPerUpdate: number;
	deliveries: number;
	lost: number;
}

/** 50 rooms × 10 clients, 2 writers per room each writing every WRITE_INTERVAL_MS. */
async function fanOut(kind: Kind): Promise<FanOut> {
	const server = await startServer(kind);
	const rooms = await Promise.all(Array.from({ length: ROOMS }, newRoom));
	const clients = await connectAll(server, rooms, CLIENTS_PER_ROOM);
	// Only updates sent while measuring are counted, and each of them is counted wherever it
	// arrives, also in the drain after the window: otherwise what is in flight when the window
	// closes shows as lost.
	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	let measuring = false;
	let expected = 0;
	for (const client of clients) {
		client.onUpdate = (id) => {
			const at = sentAt.get(id);
			if (at !== undefined) latencies.push(performance.now() - at);
		};
	}
	const writers = rooms.flatMap((_, r) => clients.slice(r * CLIENTS_PER_ROOM, r * CLIENTS_PER_ROOM + WRITERS_PER_ROOM));
	// Writers are spread over the interval so the load is steady, not in bursts.
	const timers = writers.map((writer, i) =>
		setTimeout(() => {
			timers[i] = setInterval(() => {
				const id = writer.write();
				if (measuring) sentAt.set(id, performance.now());
				// The sender's own echo is not a fan-out delivery: every server sends it back.
				if (measuring) expected += CLIENTS_PER_ROOM;
			}, WRITE_INTERVAL_MS);
		}, (i * WRITE_INTERVAL_MS) / writers.length)
	);
	await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
	measuring = true;
	const cpuStart = cpuTimes(server.child.pid!);
	const threadsStart = threadTimes(server.child.pid!);
	const started = performance.now();
	await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
	const cpuEnd = cpuTimes(server.child.pid!);
	const threadsEnd = threadTimes(server.child.pid!);
	const system = cpuEnd.system - cpuStart.system;
	const cpu = cpuEnd.user - cpuStart.user + system;
	const elapsed = (performance.now() - started) / 1000;
	measuring = false;
	for (const timer of timers) clearInterval(timer);
	await new Promise((resolve) => setTimeout(resolve, 500));
	for (const client of clients) client.close();
	await stopServer(server);
	const result = {
		p50: quantile(latencies, 0.5),
		p99: quantile(latencies, 0.99),
		cpuPercent: (cpu / elapsed) * 100,
		systemPercent: (system / elapsed) * 100,
		updatesPerSecond: expected / CLIENTS_PER_ROOM / elapsed,
		cpuMicrosPerUpdate: (cpu * 1e6) / Math.max(1, expected / CLIENTS_PER_ROOM),
		deliveries: latencies.length,
		lost: Math.max(0, expected - latencies.length)
	};
	const updates = Math.max(1, expected / CLIENTS_PER_ROOM);
	const perThread = [...threadsEnd]
		.map(([name, end]) => [name, ((end - (threadsStart.get(name) ?? 0)) * 1e6) / updates] as const)
		.filter(([, micros]) => micros >= 0.5)
		.sort((x, y) => y[1] - x[1])
		.map(([name, micros]) => `${name} ${fmt(micros, 1)}`)
		.join(', ');
	console.error(`[bench] ${kind}: CPU µs/update by thread: ${perThread}`);
	// One line per run, so the medians in the table can be checked against the runs behind them.
	console.error(
		`[bench] ${kind}: fan-out p50 ${fmt(result.p50, 2)} ms, p99 ${fmt(result.p99, 2)} ms, CPU ${fmt(result.cpuPercent)} % (${fmt(result.cpuMicrosPerUpdate, 0)} µs/update), ${fmt(result.updatesPerSecond, 0)} updates/s, ${result.deliveries} deliveries, ${result.lost} lost`
	);
	return result;
}

/** Connections per second, each counted when open and (for relays) synced; 500 over 50 rooms. */
async function setupRate(kind: Kind): Promise<number> {
	const server = await startServer(kind);
	const rooms = await Promise.all(Array.from({ length: ROOMS }, newRoom));
	// Warm up the code paths, then measure on fresh rooms.
	for (const client of await connectAll(server, [await newRoom()], 20)) client.close();
	const started = performance.now();
	const clients = await connectAll(server, rooms, CLIENTS_PER_ROOM, 20);
	console.error(`[bench] ${kind}: setup rate measured`);
	const seconds = (performance.now() - started) / 1000;
	for (const client of clients) client.close();
	await stopServer(server);
	return clients.length / seconds;
}

/** A small room document: 20 items, plain Yjs (items → Y.Map with title/description Y.Text and rank). */
function backlog(count: number): Y.Doc {
	const doc = new Y.Doc();
	const items = doc.getMap<Y.Map<unknown>>('items');
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			const item = new Y.Map<unknown>();
			items.set(`item-${i}`, item);
			item.set('title', new Y.Text(`Item ${i}: as a user I want something useful`));
			item.set('description', new Y.Text(`Description of item ${i}. `.repeat(4)));
			item.set('rank', `a${i.toString(36).padStart(4, '0')}`);
		}
	});
	return doc;
}

/** Bytes per idle connection (1,000 over 10 rooms) and per loaded room (200 rooms of 20 items, one client each). */
async function memoryCosts(kind: Kind): Promise<{ perConnection: number; perRoom: number; perConnectionHeap: number; perRoomHeap: number }> {
	const server = await startServer(kind);
	const handshake = kind !== 'raw';
	const warm = await connectAll(server, [await newRoom()], 10);
	const base = await memory(server);
	const idle = await connectAll(server, await Promise.all(Array.from({ length: 10 }, newRoom)), 100);
	await new Promise((resolve) => setTimeout(resolve, 300));
	const withConnections = await memory(server);
	const small = Y.encodeStateAsUpdate(backlog(20));
	const frame = encodeUpdate(small);
	const roomClients: BenchClient[] = [];
	for (const room of await Promise.all(Array.from({ length: 200 }, newRoom))) {
		const client = new BenchClient(url(server, room), { handshake });
		await client.opened;
		if (handshake) await client.synced;
		client.ws.send(frame);
		roomClients.push(client);
	}
	await new Promise((resolve) => setTimeout(resolve, 500));
	const withRooms = await memory(server);
	for (const client of [...warm, ...idle, ...roomClients]) client.close();
	await stopServer(server);
	const perConnection = (withConnections.rss - base.rss) / 1000;
	const perConnectionHeap = (withConnections.heapUsed - base.heapUsed) / 1000;
	return {
		perConnection,
		perConnectionHeap,
		perRoom: (withRooms.rss - withConnections.rss) / 200 - perConnection,
		perRoomHeap: (withRooms.heapUsed - withConnections.heapUsed) / 200 - perConnectionHeap
	};
}

/** Milliseconds from opening a socket to holding the whole 5,000-item room (sync step 2 received). */
async function timeToState(server: Running, room: { roomId: string; key: string }): Promise<number> {
	const started = performance.now();
	const client = new BenchClient(url(server, room), { handshake: true });
	const at = await client.synced;
	client.close();
	return at - started;
}

/** Ours, started on `dataDir` five times: the first sync after each start (cold), and a second one (the room in memory). */
async function restarts(dataDir: string, room: { roomId: string; key: string }, what: string): Promise<{ cold: number; warm: number }> {
	const cold: number[] = [];
	const warm: number[] = [];
	for (let run = 0; run < 5; run++) {
		const server = await startServer('ours', dataDir);
		cold.push(await timeToState(server, room));
		warm.push(await timeToState(server, room));
		await stopServer(server, false);
	}
	console.error(`[bench] cold load (${what}): ours cold ${cold.map((ms) => fmt(ms)).join(', ')} ms; in memory ${warm.map((ms) => fmt(ms)).join(', ')} ms`);
	return { cold: median(cold), warm: median(warm) };
}

/**
 * Cold load of a 5,000-item room. Ours: the room is in SQLite and the relay was just started,
 * so the time includes reading it. It is stored as a relay stores it: uploaded by a client
 * through the relay, which folds an upload past `COMPACT_AFTER_BYTES` into a snapshot (with its
 * state vector) at once, as it does for every room when it leaves memory. Also timed: the same
 * bytes as one logged update and no snapshot (what a crash between the upload and its
 * compaction leaves), which has to be decoded. The reference has no storage: its best case is
 * a room already in memory (a first client uploaded it), so that is what it is timed on. Ours
 * is also timed warm for the like-for-like comparison.
 */
async function coldLoad(): Promise<{ oursCold: number; oursWarm: number; oursColdLogged: number; referenceWarm: number; bytes: number }> {
	const state = Y.encodeStateAsUpdate(backlog(5000));
	const room = await newRoom();
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-'));
	const seeding = await startServer('ours', dataDir);
	const uploader = new BenchClient(url(seeding, room), { handshake: true });
	await uploader.synced;
	const echoed = new Promise<void>((resolve) => (uploader.onUpdate = () => resolve()));
	uploader.ws.send(encodeUpdate(state));
	await echoed;
	uploader.close();
	await stopServer(seeding, false);
	const compacted = await restarts(dataDir, room, 'snapshot');
	rmSync(dataDir, { recursive: true, force: true });

	const loggedDir = mkdtempSync(join(tmpdir(), 'refinery-bench-'));
	const store = SqliteStore.open(loggedDir);
	await store.claimRoom(room.roomId, await keyCheck(await deriveViewKey(room.key)), Date.now());
	await store.appendUpdate(room.roomId, state);
	await store.close();
	const logged = await restarts(loggedDir, room, 'one logged update');
	rmSync(loggedDir, { recursive: true, force: true });
	const reference = await startServer('reference');
	const seeder = new BenchClient(url(reference, room), { handshake: true });
	await seeder.synced;
	seeder.ws.send(encodeUpdate(state));
	await new Promise((resolve) => setTimeout(resolve, 500));
	const referenceWarm: number[] = [];
	for (let run = 0; run < 5; run++) referenceWarm.push(await timeToState(reference, room));
	seeder.close();
	await stopServer(reference);
	return { oursCold: compacted.cold, oursWarm: compacted.warm, oursColdLogged: logged.cold, referenceWarm: median(referenceWarm), bytes: state.length };
}

const kib = (bytes: number) => fmt(bytes / 1024, 1);

/**
 * Run every relay benchmark and print a report. With `BENCH_WRITE_DOCS=1` the report also
 * replaces docs/BENCHMARKS.md's `## Relay` section (off by default: that section keeps earlier
 * runs and their findings, written by hand around the tables).
 */
export async function main(): Promise<void> {
	const runs = Number(process.env.BENCH_RUNS ?? 1);
	if (process.env.BENCH_ONLY_COLD_LOAD) {
		console.log(await coldLoad());
		return;
	}
	if (process.env.BENCH_ONLY_FANOUT) {
		for (const kind of (process.env.BENCH_ONLY_FANOUT.split(',') as Kind[])) console.log(kind, await fanOut(kind));
		return;
	}
	const fan: Record<Kind, FanOut[]> = { ours: [], reference: [], raw: [] };
	for (let run = 0; run < runs; run++) for (const kind of KINDS) fan[kind].push(await fanOut(kind));
	const med = (kind: Kind, key: keyof FanOut) => median(fan[kind].map((r) => r[key]));
	const setup: Record<Kind, number> = { ours: 0, reference: 0, raw: 0 };
	for (const kind of KINDS) setup[kind] = await setupRate(kind);
	const mem = {} as Record<Kind, Awaited<ReturnType<typeof memoryCosts>>>;
	for (const kind of KINDS) mem[kind] = await memoryCosts(kind);
	const load = await coldLoad();

	const rows = KINDS.map(
		(kind) =>
			`| ${kind} | ${fmt(med(kind, 'p50'), 2)} | ${fmt(med(kind, 'p99'), 2)} | ${fmt(med(kind, 'cpuPercent'))} | ${fmt(med(kind, 'cpuMicrosPerUpdate'), 0)} | ${fmt(med(kind, 'updatesPerSecond'), 0)} | ${med(kind, 'deliveries')} | ${med(kind, 'lost')} | ${fmt(setup[kind], 0)} | ${kib(mem[kind].perConnection)} (${kib(mem[kind].perConnectionHeap)}) | ${kib(mem[kind].perRoom)} (${kib(mem[kind].perRoomHeap)}) |`
	);
	const ratio = (a: number, b: number) => fmt(a / b, 2);
	const section = `## Relay

Command: \`node --import tsx bench/relay/run.ts\` (also \`npm run bench -- relay\`). Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM (${fmt(freemem() / 2 ** 30, 0)} GiB free), node ${process.version}. Loopback only; each server in its own process; clients in the benchmark process, so CPU is the server's alone (utime+stime from /proc). ${runs > 1 ? `Medians of ${runs} runs.` : 'One run; medians within it.'}

Fan-out: ${ROOMS} rooms × ${CLIENTS_PER_ROOM} clients, ${WRITERS_PER_ROOM} writers per room each sending a one-character edit every ${WRITE_INTERVAL_MS} ms; latency from send to arrival at each other client of the room, over ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up. "ours" makes every update durable before broadcasting it (one write to its journal file, moved into SQLite in batches by a worker thread; see docs/RELAY.md). Setup rate: 500 connections over 50 rooms, 20 at a time, counted when open and (relays) synced. Memory after a forced GC: RSS (heap in brackets) per idle connection (1,000 over 10 rooms) and per loaded room (200 rooms of 20 items, one client each, the connection's cost taken off).

| server | p50 ms | p99 ms | CPU % | CPU µs/update | updates/s | deliveries | lost | conn/s | KiB per idle conn | KiB per room |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Ratios: ours/reference CPU ${ratio(med('ours', 'cpuPercent'), med('reference', 'cpuPercent'))} (per update ${ratio(med('ours', 'cpuMicrosPerUpdate'), med('reference', 'cpuMicrosPerUpdate'))}), p99 ${ratio(med('ours', 'p99'), med('reference', 'p99'))}; ours/raw CPU ${ratio(med('ours', 'cpuPercent'), med('raw', 'cpuPercent'))} (per update ${ratio(med('ours', 'cpuMicrosPerUpdate'), med('raw', 'cpuMicrosPerUpdate'))}).

Cold load of a 5,000-item room (${kib(load.bytes)} KiB of state), open → full state received, median of 5: ours from SQLite just after a restart **${fmt(load.oursCold)} ms** (stored as the relay stores it: a snapshot with its state vector; ${fmt(load.oursColdLogged)} ms for the same bytes as one logged update, which has to be decoded), ours already in memory ${fmt(load.oursWarm)} ms, reference already in memory ${fmt(load.referenceWarm)} ms. The reference has no storage, so it cannot load a room cold at all (after a restart the room is empty until a client uploads it); its in-memory time is its best case.
${process.env.BENCH_NOTE ?? ''}`;
	console.log(section);
	if (process.env.BENCH_WRITE_DOCS !== '1') return;
	const file = join(ROOT, 'docs/BENCHMARKS.md');
	const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
	const start = existing.indexOf('## Relay');
	let next = start < 0 ? -1 : existing.indexOf('\n## ', start + 1);
	if (next >= 0) next += 1;
	const updated = start < 0 ? `${existing.trimEnd()}\n\n${section}` : existing.slice(0, start) + section + (next >= 0 ? '\n' + existing.slice(next) : '');
	writeFileSync(file, updated);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		}
	);
}
