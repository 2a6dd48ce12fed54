import * as Y from 'yjs';
import { SqliteStore } from '../SqliteStore';

/**
 * A process that writes to an owned store until it is killed (journal crash tests). Arguments:
 * data directory, seed, journal move interval in ms. Rooms `room-0`…`room-2` each hold a Y.Array
 * of numbers; every number whose update `appendUpdate` accepted is printed as `ack <room> <n>`
 * (stdout to a pipe is synchronous on Linux, so what the parent reads was acknowledged).
 */
const [dataDir, seedArg, moveMsArg] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0;
/** mulberry32: small, seeded, good enough to pick operations. */
function random(): number {
	seed = (seed + 0x6d2b79f5) >>> 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const store = SqliteStore.open(dataDir, { backgroundCheckpointMs: 20, journalMoveMs: Number(moveMsArg) });
const rooms = [0, 1, 2].map((i) => ({ id: `room-${i}`, doc: new Y.Doc(), next: 0 }));
for (const room of rooms) {
	await store.claimRoom(room.id, new Uint8Array(32), Date.now());
	for (const update of await store.loadState(room.id)) Y.applyUpdate(room.doc, update);
	room.next = room.doc.getArray<number>('n').length;
}
process.stdout.write('ready\n');
for (;;) {
	const pick = random();
	const room = rooms[Math.floor(random() * rooms.length)];
	if (pick < 0.75) {
		let update: Uint8Array | null = null;
		room.doc.once('update', (u: Uint8Array) => (update = u));
		const n = room.next++;
		room.doc.getArray<number>('n').push([n]);
		store.appendUpdate(room.id, update!);
		process.stdout.write(`ack ${room.id} ${n}\n`);
	} else if (pick < 0.8) {
		await store.saveSnapshot(room.id, Y.encodeStateAsUpdate(room.doc), Date.now());
	} else {
		await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
	}
}
