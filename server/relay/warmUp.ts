import * as encoding from 'lib0/encoding';
import { decodeMessage, encodeUpdate } from './protocol';
import { RoomLog } from './RoomLog';
import { UpdateBudgetError } from './updateScan';

/**
 * Run the update reader over a few thousand structs of every kind at start, so V8 has compiled
 * it before the first big update arrives. Cold, the reader is 20–50 times slower: the first
 * 30 KB update would otherwise hold the event loop for tens of milliseconds (hundreds on a
 * loaded machine) while every other room waits. Takes a few milliseconds.
 */
export function warmUpdateReader(): void {
	const log = new RoomLog();
	log.load([], Uint8Array.of(0));
	const budget = { maxStructs: 1_000_000, maxClients: 5000, maxDepth: 64 };
	for (let round = 0; round < 3; round++) {
		const message = decodeMessage(encodeUpdate(sampleUpdate(1500, round)), budget);
		if (message.kind === 'update') {
			log.fit(message.summary);
			log.newClients(message.summary);
		}
		try {
			decodeMessage(encodeUpdate(sampleUpdate(1200, round)), { ...budget, maxClients: 1000 }); // refused part way, as an over-budget update is
		} catch (error) {
			if (!(error instanceof UpdateBudgetError)) throw error;
		}
	}
}

/** `count` clients of four structs each: items with origins, map entries, strings, JSON, binary, nested values, a skip and a GC run. */
function sampleUpdate(count: number, seed: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, count);
	for (let i = count; i > 0; i--) {
		encoding.writeVarUint(encoder, 4);
		encoding.writeVarUint(encoder, i + seed * count);
		encoding.writeVarUint(encoder, 0);
		encoding.writeUint8(encoder, 0x48); // right origin + any
		encoding.writeVarUint(encoder, i + 1);
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 1);
		encoding.writeAny(encoder, i);
		encoding.writeUint8(encoder, 0x88); // origin + any
		encoding.writeVarUint(encoder, i + 1);
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeAny(encoder, { a: [1, 'x', null, true, 1.5] });
		encoding.writeAny(encoder, new Uint8Array([1, 2]));
		encoding.writeUint8(encoder, 0x24); // parentSub + string, parent follows
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarString(encoder, 'm');
		encoding.writeVarString(encoder, `k${i}`);
		encoding.writeVarString(encoder, 'text');
		encoding.writeUint8(encoder, i % 2 ? 0 : 10); // GC or skip run
		encoding.writeVarUint(encoder, 2);
	}
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 1);
	return encoding.toUint8Array(encoder);
}
