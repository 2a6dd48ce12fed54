import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A plain state that could not be made within its budget (time, heap, size) or from bytes Yjs cannot read. */
export class PlainStateBudgetError extends Error {
	constructor(reason: string) {
		super(`plain state refused: ${reason}`);
		this.name = 'PlainStateBudgetError';
	}
}

/** The worker was stopped before the job ran: nothing is known about the state. */
export class PlainStateClosedError extends Error {
	constructor() {
		super('plain state worker closed');
		this.name = 'PlainStateClosedError';
	}
}

export interface PlainStateBudget {
	/** Longest one job may run (decoding a hostile room can be made slow). */
	timeMs: number;
	/** The worker's V8 old-generation heap. */
	heapMb: number;
	/** Largest plain state (JSON, before gzip) kept beside a version. */
	maxJsonBytes: number;
}

export const DEFAULT_PLAIN_STATE_BUDGET: PlainStateBudget = { timeMs: 10_000, heapMb: 512, maxJsonBytes: 64 * 1024 * 1024 };

/** Makes a version's plain state from its Yjs update (server/history/plainStateOf.ts). */
export interface PlainStateMaker {
	make(state: Uint8Array): Promise<Uint8Array>;
	close(): Promise<void>;
}

/**
 * Loads the TypeScript entry through tsx's API: Node 20 does not apply `--import tsx` to a
 * worker's own entry file, so the worker starts as a small script that imports it.
 */
const TS_LOADER = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));
`;

/**
 * The worker: `plainState.worker.js` beside this code when the server is bundled (server/build.ts
 * makes one entry per `*.worker.ts`), else the TypeScript source, loaded through tsx (tests, dev).
 */
function spawnWorker(options: WorkerOptions): Worker {
	const bundled = new URL('./plainState.worker.js', import.meta.url);
	if (existsSync(bundled)) return new Worker(bundled, { ...options, execArgv: [] });
	// The ESM build of tsx's API (require.resolve would give its CommonJS one).
	const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
	const entry = new URL('./plainState.worker.ts', import.meta.url).href;
	return new Worker(TS_LOADER, { ...options, eval: true, execArgv: [], workerData: { tsx, entry } });
}

interface Job {
	state: Uint8Array;
	resolve: (plain: Uint8Array) => void;
	reject: (error: Error) => void;
}

/**
 * One worker thread that turns versions into plain states, one job at a time, off the relay's
 * event loop: each job has a time budget (past it the worker is replaced), a heap budget (V8
 * resourceLimits) and a size budget. Idle, the worker does not hold the process open.
 */
export class PlainStateWorker implements PlainStateMaker {
	readonly #budget: PlainStateBudget;
	readonly #queue: Job[] = [];
	#worker: Worker | null = null;
	#running: { job: Job; id: number; timer: NodeJS.Timeout } | null = null;
	#nextId = 1;
	#closed = false;

	constructor(budget: Partial<PlainStateBudget> = {}) {
		this.#budget = { ...DEFAULT_PLAIN_STATE_BUDGET, ...budget };
	}

	make(state: Uint8Array): Promise<Uint8Array> {
		if (this.#closed) return Promise.reject(new PlainStateClosedError());
		return new Promise((resolve, reject) => {
			this.#queue.push({ state, resolve, reject });
			this.#next();
		});
	}

	async close(): Promise<void> {
		this.#closed = true;
		for (const job of this.#queue.splice(0)) job.reject(new PlainStateClosedError());
		const worker = this.#worker;
		this.#worker = null;
		if (this.#running) this.#finish(new PlainStateClosedError());
		await worker?.terminate();
	}

	#spawn(): Worker {
		const worker = spawnWorker({ resourceLimits: { maxOldGenerationSizeMb: this.#budget.heapMb, maxYoungGenerationSizeMb: 64 } });
		worker.unref();
		worker.on('message', (reply: { id: number; ok: boolean; plain?: Uint8Array; error?: string }) => {
			if (this.#running?.id !== reply.id) return;
			if (reply.ok) this.#finish(null, reply.plain);
			else this.#finish(new PlainStateBudgetError(reply.error ?? 'unreadable state'));
		});
		const lost = (reason: string) => {
			if (this.#worker !== worker) return;
			this.#worker = null;
			this.#finish(new PlainStateBudgetError(reason));
		};
		worker.on('error', (error) => lost(error.message));
		worker.on('exit', () => lost('worker exited'));
		return worker;
	}

	#next(): void {
		if (this.#running || this.#closed) return;
		const job = this.#queue.shift();
		if (!job) return;
		const worker = (this.#worker ??= this.#spawn());
		const id = this.#nextId++;
		const timer = setTimeout(() => {
			// Busy inside Yjs, the worker cannot be asked to stop: it is replaced.
			this.#worker = null;
			void worker.terminate();
			this.#finish(new PlainStateBudgetError(`over ${this.#budget.timeMs} ms`));
		}, this.#budget.timeMs);
		this.#running = { job, id, timer };
		worker.ref();
		worker.postMessage({ id, state: job.state, maxJsonBytes: this.#budget.maxJsonBytes });
	}

	#finish(error: Error | null, plain?: Uint8Array): void {
		const running = this.#running;
		if (!running) return;
		this.#running = null;
		clearTimeout(running.timer);
		this.#worker?.unref();
		if (error) running.job.reject(error);
		else running.job.resolve(plain!);
		this.#next();
	}
}
