// The merge worker thread's entry (MergeWorker.ts starts it). Plain JavaScript on purpose, like
// persistence/storeWorker.js: Node runs it with no TypeScript loader, the same under tsx, vitest
// and in a build (server/build.ts emits it as its own entry point beside main.js).
//
// It calls Yjs's update-level functions, which read updates as bytes: merging and diffing are
// linear in the bytes, but a big room still takes long enough to stall every room if done on the
// event loop. `gc` is the one job that builds a document: integration is superlinear and
// attacker-shaped, which is why it runs here, under MergeWorker's time and heap budget.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

if (!parentPort) throw new Error('mergeWorker.js runs as a worker thread (see MergeWorker.ts)');
const port = parentPort;
// The parent resolves yjs and passes its path, so this file finds the same copy wherever it is.
const Y = createRequire(import.meta.url)(workerData.yjs);

/** @param {Uint8Array[]} parts */
const merged = (parts) => (parts.length === 1 ? parts[0] : Y.mergeUpdates(parts));

/**
 * The parts applied, in order and in one transaction, to a document that collects garbage, and
 * its state encoded: content deleted or replaced shrinks to a length, so the state is the live
 * content plus small tombstones. Applied one by one rather than merged first: Y.mergeUpdates
 * of two 15 MiB strings takes about 1 s, applying them about 0.2 s.
 * @param {Uint8Array[]} parts
 */
function collect(parts) {
	const doc = new Y.Doc({ gc: true });
	try {
		doc.transact(() => {
			for (const part of parts) Y.applyUpdate(doc, part);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/** Buffers sent back are moved rather than copied when they are whole (the main thread pays no copy). @param {Uint8Array[]} arrays */
const transferable = (arrays) =>
	arrays.filter((array) => array && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength).map((array) => array.buffer);

port.on(
	'message',
	/** @param {{ id: number; op: 'merge' | 'load' | 'diff' | 'gc'; parts: Uint8Array[]; stateVector?: Uint8Array }} message */
	({ id, op, parts, stateVector }) => {
		try {
			let result;
			if (op === 'gc') {
				const state = collect(parts);
				result = { state, stateVector: Y.encodeStateVectorFromUpdate(state) };
			} else {
				const state = merged(parts);
				if (op === 'merge') result = { state };
				else if (op === 'load') result = { state, stateVector: Y.encodeStateVectorFromUpdate(state) };
				else result = { state, diff: Y.diffUpdate(state, stateVector) };
			}
			const buffers = [...new Set(transferable([result.state, result.stateVector, result.diff]))];
			port.postMessage({ id, ok: true, ...result }, buffers);
		} catch (error) {
			port.postMessage({ id, ok: false, error: String((error && error.message) || error) });
		}
	}
);
