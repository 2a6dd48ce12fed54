// The store worker thread's entry (StoreWorker.ts starts it). Plain JavaScript on purpose: Node 20
// runs it with no TypeScript loader, the same under tsx, vitest, Vite's dev server and in a build,
// and a thread without a loader starts faster. A bundler emits it as its own entry point, next to
// the file that holds StoreWorker's code (see docs/RELAY.md, Persistence).
//
// Its own connection to the database: checkpoints the WAL on a timer, and stores the sealed
// journal segments it is sent (then deletes their files), until told to stop.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

if (!parentPort) throw new Error('storeWorker.js runs as a worker thread (see StoreWorker.ts)');
const port = parentPort;

/** @type {{ file: string; driver: string; checkpointMs: number; storeSql: string }} */
const options = workerData;
// The parent resolves better-sqlite3 and passes its path, so a bundle need not place node_modules here.
const Database = createRequire(import.meta.url)(options.driver);
const db = new Database(options.file, { timeout: 5000 });
db.pragma('synchronous = NORMAL');
const store = db.prepare(options.storeSql);
const storeAll = db.transaction(
	/**
	 * @param {string[]} ids
	 * @param {Float64Array} seqs
	 * @param {Uint32Array} offsets
	 * @param {Uint8Array} data
	 */
	(ids, seqs, offsets, data) => {
		for (let i = 0; i < ids.length; i++) {
			const id = ids[i];
			const seq = seqs[i];
			store.run(id, seq, data.subarray(offsets[i], offsets[i + 1]), id, seq, id);
		}
	}
);
const timer = options.checkpointMs ? setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), options.checkpointMs) : null;

port.on(
	'message',
	/** @param {{ type: 'stop' } | { type: 'move'; path: string; ids: string[]; seqs: Float64Array; offsets: Uint32Array; data: Uint8Array }} message */
	(message) => {
		if (message.type === 'stop') {
			if (timer) clearInterval(timer);
			db.close();
			port.close();
			return;
		}
		try {
			storeAll(message.ids, message.seqs, message.offsets, message.data);
			rmSync(message.path, { force: true });
			port.postMessage({ path: message.path, ok: true });
		} catch (error) {
			port.postMessage({ path: message.path, ok: false, error: String(error) });
		}
	}
);
