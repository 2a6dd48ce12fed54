import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createLogger } from '../../server/log';
import { RelayMetrics } from '../../server/metrics';
import { SqliteStore } from '../../server/persistence/SqliteStore';
import { Rooms } from '../../server/relay/Rooms';
import { Connection } from '../../server/relay/Connection';
import { MergeWorker } from '../../server/relay/MergeWorker';
import { DEFAULT_LIMITS } from '../../server/limits';
import { encodeUpdate } from '../../server/relay/protocol';
import { newRoomId } from '../../shared/ids';
import type { Room } from '../../server/relay/Room';

/**
 * Diagnostic (issue 3): our relay's per-update work in-process, without sockets: 50 rooms × 10
 * connections whose sends are no-ops, 2 writers each, 40,000 one-character updates through
 * Room.receive with the real SqliteStore and journal (SKIP=1: appends dropped). Twin of
 * referencePath.ts. Run: `node --import tsx bench/relay/roomPath.ts`.
 */

const skip = process.env.SKIP === '1';
const store = SqliteStore.open(mkdtempSync(join(tmpdir(), 'rb-')), { backgroundCheckpointMs: 100 });
if (skip) store.appendUpdate = () => {};
const rooms = new Rooms({
	store,
	logger: createLogger('warn'),
	metrics: new RelayMetrics(),
	merger: new MergeWorker(),
	maxDocBytes: 1e9,
	maxRoomsInMemory: 1000,
	maxRoomBytesInMemory: 1e12,
	updateBudget: { maxStructs: DEFAULT_LIMITS.maxStructsPerUpdate, maxClients: DEFAULT_LIMITS.maxClientsPerUpdate, maxDepth: DEFAULT_LIMITS.maxNestingDepth },
	maxClientsPerRoom: DEFAULT_LIMITS.maxClientsPerRoom,
	maxPendingBytes: DEFAULT_LIMITS.maxPendingBytesPerConnection,
	presenceBudget: { maxStateBytes: 65536, maxStateDepth: 64, maxClientsPerConnection: 16 },
	idleUnloadMs: 1e9,
	compactAfterUpdates: 500,
	compactAfterBytes: 1 << 20
});
let sends = 0;
const N_ROOMS = 50, PEERS = 10;
const writers: { doc: Y.Doc; room: Room; c: Connection }[] = [];
for (let r = 0; r < N_ROOMS; r++) {
	const id = newRoomId();
	await store.claimRoom(id, new Uint8Array(32), Date.now());
	for (let p = 0; p < PEERS; p++) {
		const c = new Connection({ send: (f) => { sends += f.byteLength > 0 ? 1 : 0; }, close: () => {}, terminate: () => {}, bufferedAmount: 0 }, 'edit', '127.0.0.1');
		const room = await rooms.join(id, c);
		if (p < 2) writers.push({ doc: new Y.Doc(), room, c });
	}
}
await new Promise((r) => setTimeout(r, 200));
// pre-build frames
const frames: { w: (typeof writers)[0]; f: Uint8Array }[] = [];
for (let i = 0; i < 40000; i++) {
	const w = writers[i % writers.length];
	let u: Uint8Array | null = null;
	w.doc.once('update', (x: Uint8Array) => (u = x));
	const t = w.doc.getText('t');
	t.insert(t.length, 'x');
	frames.push({ w, f: encodeUpdate(u!) });
}
const BATCH = 100;
let i = 0;
/** CPU ticks (1/100 s) per thread of this process, by thread id. */
const threadTicks = () =>
	new Map(
		readdirSync('/proc/self/task').map((tid) => {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return [tid, Number(fields[11]) + Number(fields[12])] as const;
		})
	);
const ticks0 = threadTicks();
const cpu0 = process.cpuUsage();
let busy = 0;
await new Promise<void>((resolve) => {
	const step = () => {
		const s = performance.now();
		for (let k = 0; k < BATCH && i < frames.length; k++, i++) frames[i].w.room.receive(frames[i].w.c, frames[i].f);
		busy += performance.now() - s;
		if (i < frames.length) setImmediate(step); else resolve();
	};
	step();
});
const cpu = process.cpuUsage(cpu0);
const ticks1 = threadTicks();
const byThread = [...ticks1]
	.map(([tid, t]) => [tid === String(process.pid) ? 'main' : tid, ((t - (ticks0.get(tid) ?? 0)) * 1e4) / frames.length] as const)
	.filter(([, micros]) => micros > 0)
	.sort((a, b) => b[1] - a[1])
	.map(([tid, micros]) => `${tid} ${micros.toFixed(1)}`)
	.join(', ');
console.log(`CPU µs/update by thread: ${byThread}`);
console.log(`${skip ? 'skip' : 'journal'}: main-loop ${(busy * 1000 / frames.length).toFixed(2)} µs/update, process CPU ${((cpu.user + cpu.system) / frames.length).toFixed(2)} µs/update, sends ${sends}`);
process.exit(0);
