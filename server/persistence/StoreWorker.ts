import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { JournalRecord } from './journalRecord';

/**
 * The worker thread's entry, a plain JavaScript module: `storeWorker.js` beside this file (tsx,
 * vitest, Vite's dev server, an unbundled build), or beside the bundle that holds this code when
 * the server is bundled: esbuild with `entryPoints: { main: 'server/main.ts', storeWorker:
 * 'server/persistence/storeWorker.js' }` puts it there. A bundle that kept the source tree's
 * layout (`persistence/storeWorker.js` under the bundle's directory) is found too.
 */
export function storeWorkerUrl(): URL {
	const beside = new URL('./storeWorker.js', import.meta.url);
	const inTree = new URL('./persistence/storeWorker.js', import.meta.url);
	return existsSync(beside) || !existsSync(inTree) ? beside : inTree;
}

/** The worker could not store a segment (it stays in the journal and is tried again). */
export class SegmentMoveError extends Error {
	constructor(path: string, reason: string) {
		super(`could not move journal segment ${path}: ${reason}`);
		this.name = 'SegmentMoveError';
	}
}

export interface StoreWorkerOptions {
	/** Checkpoint the WAL every this many ms (PASSIVE); none if absent. */
	checkpointMs?: number;
	/** SQL run per record: (room id, seq, data, room id, seq, room id); see SqliteStore. */
	storeSql: string;
	/** Runs if the worker dies, so the owner can take its work back. */
	onFailure: (error: Error) => void;
}

/**
 * A worker thread with its own connection to the store's database. It does the work that would
 * otherwise stall every room on the event loop: WAL checkpoints (SQLite's automatic one copies a
 * thousand pages and syncs the file inside whichever commit crosses the threshold) and moving
 * journal segments into the update log, in one transaction per segment. A PASSIVE checkpoint
 * never blocks the writer; a move holds the write lock for a few milliseconds, which only a
 * snapshot or room claim on the main thread can meet (it waits; busy timeout 5 s).
 */
export class StoreWorker {
	readonly #worker: Worker;
	readonly #exited: Promise<void>;
	readonly #moves = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
	#failed: Error | null = null;
	#stopping = false;

	constructor(file: string, options: StoreWorkerOptions) {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		// No execArgv: the worker needs no TypeScript loader, and starts faster without one.
		this.#worker = new Worker(storeWorkerUrl(), {
			workerData: { file, driver, checkpointMs: options.checkpointMs ?? 0, storeSql: options.storeSql },
			execArgv: []
		});
		this.#worker.unref();
		this.#worker.on('message', (reply: { path: string; ok: boolean; error?: string }) => {
			const move = this.#moves.get(reply.path);
			this.#moves.delete(reply.path);
			if (reply.ok) move?.resolve();
			else move?.reject(new SegmentMoveError(reply.path, reply.error ?? 'unknown'));
		});
		const fail = (error: Error) => {
			if (this.#failed) return;
			this.#failed = error;
			for (const [path, move] of this.#moves) move.reject(new SegmentMoveError(path, error.message));
			this.#moves.clear();
			options.onFailure(error);
		};
		this.#worker.on('error', fail);
		this.#exited = new Promise((resolve) =>
			this.#worker.once('exit', (code) => {
				if (!this.#stopping) fail(new Error(`store worker exited (${code})`));
				resolve();
			})
		);
	}

	/** False once the worker has died. */
	get alive(): boolean {
		return this.#failed === null;
	}

	/**
	 * Store a sealed segment's records and delete its file. The records are packed into one
	 * buffer and transferred, so the main thread pays a copy, not a structured clone per record.
	 */
	move(path: string, records: JournalRecord[]): Promise<void> {
		if (this.#failed) return Promise.reject(new SegmentMoveError(path, this.#failed.message));
		const ids = new Array<string>(records.length);
		const seqs = new Float64Array(records.length);
		const offsets = new Uint32Array(records.length + 1);
		let bytes = 0;
		for (let i = 0; i < records.length; i++) {
			ids[i] = records[i].roomId;
			seqs[i] = records[i].seq;
			offsets[i] = bytes;
			bytes += records[i].update.byteLength;
		}
		offsets[records.length] = bytes;
		const data = new Uint8Array(bytes);
		for (let i = 0; i < records.length; i++) data.set(records[i].update, offsets[i]);
		// Ref'd while a move is under way, so the process does not exit with a segment half-stored
		// (harmless, it would be replayed, but the file would linger until the next start).
		this.#worker.ref();
		const done = new Promise<void>((resolve, reject) => this.#moves.set(path, { resolve, reject }));
		this.#worker.postMessage({ type: 'move', path, ids, seqs, offsets, data }, [seqs.buffer, offsets.buffer, data.buffer]);
		return done.finally(() => {
			if (this.#moves.size === 0) this.#worker.unref();
		});
	}

	/** Stop after the work in progress and close the worker's connection. */
	async stop(): Promise<void> {
		// Unref'd so it never holds the process open by itself; while stopping it must, or the
		// process could exit before the worker (and then the store) has closed.
		this.#stopping = true;
		this.#worker.ref();
		this.#worker.postMessage({ type: 'stop' });
		await this.#exited;
	}
}
