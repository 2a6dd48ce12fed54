import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { BudgetedWorker } from '../workers/BudgetedWorker';

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

/**
 * One worker thread that turns versions into plain states, one job at a time, off the relay's
 * event loop: each job has a time budget (past it the worker is replaced), a heap budget (V8
 * resourceLimits) and a size budget. Idle, the worker does not hold the process open.
 */
export class PlainStateWorker implements PlainStateMaker {
	readonly #jobs: BudgetedWorker<{ state: Uint8Array; maxJsonBytes: number }, Uint8Array>;
	readonly #maxJsonBytes: number;

	constructor(budget: Partial<PlainStateBudget> = {}) {
		const { timeMs, heapMb, maxJsonBytes } = { ...DEFAULT_PLAIN_STATE_BUDGET, ...budget };
		this.#maxJsonBytes = maxJsonBytes;
		this.#jobs = new BudgetedWorker({
			spawn: () => spawnWorker({ resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64 } }),
			timeMs,
			result: (reply) => reply.plain as Uint8Array,
			refused: (reason) => new PlainStateBudgetError(reason),
			closed: () => new PlainStateClosedError(),
			name: 'worker',
			unreadable: 'unreadable state'
		});
	}

	make(state: Uint8Array): Promise<Uint8Array> {
		return this.#jobs.run({ state, maxJsonBytes: this.#maxJsonBytes });
	}

	close(): Promise<void> {
		return this.#jobs.close();
	}
}
