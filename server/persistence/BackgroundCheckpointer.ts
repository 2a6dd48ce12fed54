import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, plain CommonJS so it runs the same under tsx, vitest and node: its own
 * connection to the file, checkpointing the WAL on a timer until told to stop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
	clearInterval(timer);
	db.close();
	parentPort.close();
});
`;

/**
 * Checkpoints a SQLite WAL from a worker thread. SQLite's automatic checkpoint runs inside
 * whichever commit crosses the threshold, on the event loop: it copies a thousand pages and
 * syncs the file, stalling every room for milliseconds (the relay's p99). A PASSIVE
 * checkpoint on another connection never blocks the writer, so the stall leaves the loop.
 */
export class BackgroundCheckpointer {
	readonly #worker: Worker;
	readonly #exited: Promise<void>;

	/** `onFailure` runs if the worker dies, so the owner can fall back to automatic checkpoints. */
	constructor(file: string, intervalMs: number, onFailure: (error: Error) => void) {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		// No execArgv: the worker needs no TypeScript loader, and starts faster without one.
		this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs }, execArgv: [] });
		this.#worker.unref();
		this.#worker.on('error', onFailure);
		this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
	}

	/** Stop after the checkpoint in progress, if any, and close the worker's connection. */
	async stop(): Promise<void> {
		// Unref'd so it never holds the process open by itself; while stopping it must, or the
		// process could exit before the worker (and then the store) has closed.
		this.#worker.ref();
		this.#worker.postMessage('stop');
		await this.#exited;
	}
}
