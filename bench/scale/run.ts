import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newRoomId } from '../../shared/ids';
import { createLogger } from '../../server/log';
import { connectRedis } from '../../server/redis/connection';
import { roomKeys } from '../../server/redis/keys';
import { startRedisServer, type RedisServer } from '../../server/testing/redisServer';
import { freePort } from '../../server/testing/serverProcess';
import { BenchClient } from '../relay/benchClient';
import { fmt, median, quantile } from '../stats';

/**
 * Scale-out benchmarks (issue 8): fan-out latency and CPU with 1, 2 and 3 relay processes
 * sharing rooms through a real redis-server, against one relay on SQLite in the same run;
 * and a soak (`npm run bench -- soak`): thousands of connections over the relays for
 * minutes, memory sampled after a forced GC. Clients live in this process.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROOMS = Number(process.env.BENCH_ROOMS ?? 300);
const CLIENTS_PER_ROOM = 10;
const WRITERS_PER_ROOM = 1;
const WRITE_INTERVAL_MS = Number(process.env.BENCH_WRITE_INTERVAL_MS ?? 500);
const WARMUP_MS = 3000;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 15_000);
const TICKS_PER_SECOND = 100;

const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

interface Relay {
	child: ChildProcess;
	port: number;
	dataDir: string;
}

async function startRelay(redisUrl: string | null): Promise<Relay> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-scale-'));
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/scale/servers/relay.ts'], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (Date.now() > deadline) throw new Error('relay did not start');
		try {
			if ((await fetch(`http://127.0.0.1:${port}/bench/mem`)).ok) break;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	return { child, port, dataDir };
}

async function stopRelay(relay: Relay): Promise<void> {
	const exited = new Promise((resolve) => relay.child.once('exit', resolve));
	relay.child.kill('SIGTERM');
	await exited;
	rmSync(relay.dataDir, { recursive: true, force: true });
}

/** utime + stime of a process in seconds, from /proc. */
function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function memory(relay: Relay): Promise<{ rss: number; heapUsed: number }> {
	return (await (await fetch(`http://127.0.0.1:${relay.port}/bench/mem`)).json()) as { rss: number; heapUsed: number };
}

type Room = { roomId: string; key: string };
const newRoom = (): Room => ({ roomId: newRoomId(), key: newRoomId() });

/** Client j of room r goes to relay (r·perRoom + j) mod n: every room has clients on every relay. */
async function connectAll(relays: Relay[], rooms: Room[], perRoom: number, concurrency = 50): Promise<BenchClient[]> {
	const jobs = rooms.flatMap((room, r) => Array.from({ length: perRoom }, (_, j) => ({ room, relay: relays[(r * perRoom + j) % relays.length] })));
	const clients: BenchClient[] = new Array(jobs.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < jobs.length) {
				const index = next++;
				const { room, relay } = jobs[index];
				const client = new BenchClient(`ws://127.0.0.1:${relay.port}/sync/${room.roomId}?key=${room.key}`, { handshake: true });
				clients[index] = client;
				await client.opened;
				await client.synced;
			}
		})
	);
	return clients;
}

interface FanOut {
	label: string;
	relays: number;
	p50: number;
	p99: number;
	/** All relays together, % of one core. */
	relayCpu: number;
	redisCpu: number;
	/** This process (every client): when it nears 100 %, latency is the clients' queueing, not the relays'. */
	clientCpu: number;
	updatesPerSecond: number;
	deliveries: number;
	lost: number;
}

/** ROOMS × 10 clients spread over the relays; one writer per room sends a one-character edit every WRITE_INTERVAL_MS. */
async function fanOut(label: string, count: number, redis: RedisServer | null): Promise<FanOut> {
	const relays = await Promise.all(Array.from({ length: count }, () => startRelay(redis?.url ?? null)));
	const rooms = Array.from({ length: ROOMS }, newRoom);
	const clients = await connectAll(relays, rooms, CLIENTS_PER_ROOM);
	// Only edits sent inside the measuring window count, wherever their deliveries land in time.
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
	const timers: NodeJS.Timeout[] = writers.map((writer, i) =>
		setTimeout(() => {
			timers[i] = setInterval(() => {
				const id = writer.write();
				if (!measuring) return;
				sentAt.set(id, performance.now());
				expected += CLIENTS_PER_ROOM;
			}, WRITE_INTERVAL_MS);
		}, (i * WRITE_INTERVAL_MS) / writers.length)
	);
	await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
	measuring = true;
	const pids = relays.map((relay) => relay.child.pid!);
	const relayStart = pids.map(cpuSeconds);
	const redisStart = redis ? cpuSeconds(redis.child.pid!) : 0;
	const clientStart = process.cpuUsage();
	const started = performance.now();
	await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
	const relayCpu = pids.map(cpuSeconds).reduce((sum, end, i) => sum + end - relayStart[i], 0);
	const redisCpu = redis ? cpuSeconds(redis.child.pid!) - redisStart : 0;
	const clientUsage = process.cpuUsage(clientStart);
	const elapsed = (performance.now() - started) / 1000;
	measuring = false;
	for (const timer of timers) clearInterval(timer);
	// Time for the last edits' deliveries; whatever has not arrived by then counts as lost.
	await new Promise((resolve) => setTimeout(resolve, 2000));
	for (const client of clients) client.close();
	await Promise.all(relays.map(stopRelay));
	console.error(`[bench] scale ${label}: ${latencies.length} deliveries`);
	return {
		label,
		relays: count,
		p50: quantile(latencies, 0.5),
		p99: quantile(latencies, 0.99),
		relayCpu: (relayCpu / elapsed) * 100,
		redisCpu: (redisCpu / elapsed) * 100,
		clientCpu: ((clientUsage.user + clientUsage.system) / 1e6 / elapsed) * 100,
		updatesPerSecond: expected / CLIENTS_PER_ROOM / elapsed,
		deliveries: latencies.length,
		lost: Math.max(0, expected - latencies.length)
	};
}

/** Replace (or add) a `## ` section of docs/BENCHMARKS.md. */
function record(title: string, section: string): void {
	const file = join(ROOT, 'docs/BENCHMARKS.md');
	const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
	const start = existing.indexOf(`## ${title}`);
	let next = start < 0 ? -1 : existing.indexOf('\n## ', start + 1);
	if (next >= 0) next += 1;
	const updated = start < 0 ? `${existing.trimEnd()}\n\n${section}` : existing.slice(0, start) + section + (next >= 0 ? '\n' + existing.slice(next) : '');
	writeFileSync(file, updated);
}

const machine = () =>
	`${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM (${fmt(freemem() / 2 ** 30, 0)} GiB free), node ${process.version}`;

/** Fan-out with 1 relay on SQLite, then 1, 2 and 3 relays on Redis; writes `## Scale-out` in docs/BENCHMARKS.md. */
export async function main(): Promise<void> {
	const runs = Number(process.env.BENCH_RUNS ?? 1);
	const redis = await startRedisServer({ appendfsync: 'everysec' });
	const results: FanOut[][] = [[], [], [], []];
	try {
		for (let run = 0; run < runs; run++) {
			results[0].push(await fanOut('SQLite, 1 relay', 1, null));
			for (const count of [1, 2, 3]) results[count].push(await fanOut(`Redis, ${count} relay${count > 1 ? 's' : ''}`, count, redis));
		}
	} finally {
		await redis.destroy();
	}
	const med = (rows: FanOut[], key: keyof FanOut) => median(rows.map((row) => row[key] as number));
	const rows = results.map(
		(r) =>
			`| ${r[0].label} | ${fmt(med(r, 'p50'), 2)} | ${fmt(med(r, 'p99'), 2)} | ${fmt(med(r, 'relayCpu'))} | ${fmt(med(r, 'relayCpu') / r[0].relays)} | ${fmt(med(r, 'redisCpu'))} | ${fmt(med(r, 'clientCpu'))} | ${fmt(med(r, 'updatesPerSecond'), 0)} | ${med(r, 'deliveries')} | ${med(r, 'lost')} |`
	);
	const [sqlite, one] = [results[0], results[1]];
	const section = `## Scale-out

Command: \`npm run bench -- scale\` (\`node --expose-gc --import tsx bench/run.ts scale\`). Run on ${new Date().toISOString().slice(0, 10)}: ${machine()}. Loopback only; each relay in its own process, one real redis-server (appendonly yes, appendfsync everysec), the clients in the benchmark process (so the relays, Redis and the clients share the 2 cores: absolute numbers are pessimistic, compare rows). ${runs > 1 ? `Medians of ${runs} runs.` : 'One run; medians within it.'}

${ROOMS} rooms × ${CLIENTS_PER_ROOM} clients (${ROOMS * CLIENTS_PER_ROOM} connections); client j of room r connects to relay (10r + j) mod N, so every room has clients on every relay and most deliveries cross processes. ${WRITERS_PER_ROOM} writer per room sends a one-character edit every ${WRITE_INTERVAL_MS} ms. Latency from send to arrival at each client of the room (the sender's echo counted too), over ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up. CPU: utime+stime from /proc, % of one core; "relay CPU" adds up every relay.

| setup | p50 ms | p99 ms | relay CPU % (all) | per relay % | Redis CPU % | clients' CPU % | updates/s | deliveries | lost |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The Redis hop (1 relay on Redis vs 1 relay on SQLite, same run): p50 ${fmt(Math.abs(med(one, 'p50') - med(sqlite, 'p50')), 2)} ms ${med(one, 'p50') >= med(sqlite, 'p50') ? 'more' : 'less'} (×${fmt(med(one, 'p50') / med(sqlite, 'p50'), 2)}), p99 ×${fmt(med(one, 'p99') / med(sqlite, 'p99'), 2)}, relay CPU ×${fmt(med(one, 'relayCpu') / med(sqlite, 'relayCpu'), 2)}, plus ${fmt(med(one, 'redisCpu'))} % of a core in redis-server. Every update is one EVALSHA round trip (XADD + PUBLISH) before it is broadcast, and every relay holding the room gets it back once through pub/sub.
${process.env.BENCH_NOTE ?? ''}`;
	console.log(section);
	record('Scale-out', section);
}

/** The most entries any room's stream holds now. */
async function longestStream(url: string, rooms: Room[]): Promise<number> {
	const client = await connectRedis(url, createLogger('silent'), 'bench');
	try {
		const lengths = await Promise.all(rooms.map((room) => client.xLen(roomKeys(room.roomId).log)));
		return Math.max(0, ...lengths.map(Number));
	} finally {
		await client.close();
	}
}

interface Sample {
	at: number;
	rss: number[];
	heap: number[];
	connected: number;
}

/**
 * Soak: SOAK_CONNECTIONS (5,000) connections over SOAK_RELAYS (3) relays on Redis for SOAK_MS
 * (10 minutes), one writer per room every 2 s, 2 % of the connections replaced every 10 s;
 * each relay's RSS and heap sampled after a forced GC every 30 s. Writes `## Soak`.
 */
export async function soak(): Promise<void> {
	const connections = Number(process.env.SOAK_CONNECTIONS ?? 5000);
	const relayCount = Number(process.env.SOAK_RELAYS ?? 3);
	const duration = Number(process.env.SOAK_MS ?? 10 * 60_000);
	const perRoom = 10;
	const redis = await startRedisServer({ appendfsync: 'everysec' });
	const relays = await Promise.all(Array.from({ length: relayCount }, () => startRelay(redis.url)));
	const rooms = Array.from({ length: Math.ceil(connections / perRoom) }, newRoom);
	const clients = await connectAll(relays, rooms, perRoom);
	console.error(`[bench] soak: ${clients.length} connections over ${relayCount} relays`);
	let delivered = 0;
	const count = () => delivered++;
	for (const client of clients) client.onUpdate = count;
	let writes = 0;
	const writeTimer = setInterval(() => {
		// One writer per room every 2 s, spread over the interval by picking rooms in turn.
		for (let r = writes % 4; r < rooms.length; r += 4) clients[r * perRoom]?.write();
		writes++;
	}, 500);
	let churned = 0;
	const churnTimer = setInterval(async () => {
		for (let i = 0; i < Math.ceil(clients.length * 0.02); i++) {
			// Never the writers (index 0 of each room): they keep their document.
			const index = 1 + Math.floor(Math.random() * (clients.length - 1));
			if (index % perRoom === 0) continue;
			const room = rooms[Math.floor(index / perRoom)];
			const relay = relays[Math.floor(Math.random() * relays.length)];
			clients[index].close();
			const replacement = new BenchClient(`ws://127.0.0.1:${relay.port}/sync/${room.roomId}?key=${room.key}`, { handshake: true });
			replacement.onUpdate = count;
			replacement.opened.catch(() => {});
			clients[index] = replacement;
			churned++;
		}
	}, 10_000);
	const samples: Sample[] = [];
	const started = Date.now();
	const sample = async () => {
		const mems = await Promise.all(relays.map(memory));
		samples.push({
			at: Date.now() - started,
			rss: mems.map((m) => m.rss),
			heap: mems.map((m) => m.heapUsed),
			connected: clients.filter((c) => c.ws.readyState === 1).length
		});
		const last = samples.at(-1)!;
		console.error(`[bench] soak t=${fmt(last.at / 1000, 0)}s rss=${last.rss.map((b) => fmt(b / 2 ** 20, 0)).join('/')} MiB heap=${last.heap.map((b) => fmt(b / 2 ** 20, 0)).join('/')} MiB open=${last.connected}`);
	};
	await sample();
	while (Date.now() - started < duration) {
		await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, duration - (Date.now() - started))));
		await sample();
	}
	clearInterval(writeTimer);
	clearInterval(churnTimer);
	const redisRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${redis.child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
	const longestLog = await longestStream(redis.url, rooms);
	for (const client of clients) client.close();
	await Promise.all(relays.map(stopRelay));
	await redis.destroy();

	// Flat = the second half of the run does not grow: compare the median of its samples with the first half's.
	const half = samples.filter((s) => s.at >= duration / 2);
	const early = samples.filter((s) => s.at > 0 && s.at < duration / 2);
	const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);
	const rows = relays.map((_, i) => {
		const first = samples[1] ?? samples[0];
		const last = samples.at(-1)!;
		return `| relay ${i + 1} | ${mib(first.rss[i])} | ${mib(median(early.map((s) => s.rss[i])))} | ${mib(median(half.map((s) => s.rss[i])))} | ${mib(last.rss[i])} | ${mib(first.heap[i])} | ${mib(last.heap[i])} |`;
	});
	const section = `## Soak

Command: \`npm run bench -- soak\` (\`SOAK_MS\`, \`SOAK_CONNECTIONS\`, \`SOAK_RELAYS\` to change it). Run on ${new Date().toISOString().slice(0, 10)}: ${machine()}. **${fmt(duration / 60_000, 1)} minutes**, ${clients.length} connections (${rooms.length} rooms × ${perRoom}) over ${relayCount} relay processes on one redis-server (appendfsync everysec); one writer per room every 2 s (${fmt(rooms.length / 2, 0)} updates/s, ${delivered} deliveries in all), 2 % of the connections replaced every 10 s (${churned} replaced). Memory of each relay after a forced GC, sampled every 30 s (${samples.length} samples), MiB:

| relay | RSS after setup | RSS median, first half | RSS median, second half | RSS at the end | heap after setup | heap at the end |
|---|---|---|---|---|---|---|
${rows.join('\n')}

redis-server RSS at the end: ${mib(redisRss)} MiB; the longest room log (stream) at the end: ${longestLog} entries (compaction folds a log past 500).
${process.env.BENCH_NOTE ?? ''}`;
	console.log(section);
	record('Soak', section);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	(process.argv[2] === 'soak' ? soak() : main()).then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		}
	);
}
