import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker thread's entry, a plain JavaScript module (`mergeWorker.js`, which says why):
 * beside this file (tsx, vitest, an unbundled build), or beside the bundle that holds this code
 * (server/build.ts makes it an entry point of its own). A bundle that kept the source tree's
 * layout (`relay/mergeWorker.js` under the bundle's directory) is found too.
 */
export function mergeWorkerUrl(): URL {
	const beside = new URL('./mergeWorker.js', import.meta.url);
	const inTree = new URL('./relay/mergeWorker.js', import.meta.url);
	return existsSync(beside) || !existsSync(inTree) ? beside : inTree;
}

/** A merge that ran past its time or memory budget, or that Yjs could not read: nothing came of it. */
export class MergeBudgetError extends Error {
	constructor(reason: string) {
		super(`merge refused: ${reason}`);
		this.name = 'MergeBudgetError';
	}
}

export interface MergeBudget {
	/** Longest one job may run. */
	timeMs: number;
	/** The worker's V8 old-generation heap; a job that needs more is refused. */
	heapMb: number;
}

export const DEFAULT_MERGE_BUDGET: MergeBudget = { timeMs: 10_000, heapMb: 768 };

interface Job {
	op: 'merge' | 'load' | 'diff' | 'gc';
	parts: Uint8Array[];
	stateVector?: Uint8Array;
	resolve: (result: MergeResult) => void;
	reject: (error: Error) => void;
}

export interface MergeResult {
	/** The parts merged into one update. */
	state: Uint8Array;
	/** `load`, `gc`: the state vector of `state` (encoded). */
	stateVector?: Uint8Array;
	/** `diff`: what `state` has beyond the given state vector. */
	diff?: Uint8Array;
}

/**
 * One worker thread that merges and diffs updates for every room, one job at a time, each with
 * a time and heap budget (V8 resourceLimits). A job over budget is refused (MergeBudgetError)
 * and the worker replaced; the jobs queued behind it only wait. Idle, the worker does not hold
 * the process open.
 */
export class MergeWorker {
	readonly #budget: MergeBudget;
	readonly #queue: Job[] = [];
	#worker: Worker | null = null;
	#running: { job: Job; id: number; timer: NodeJS.Timeout } | null = null;
	#nextId = 1;
	#closed = false;

	constructor(budget: Partial<MergeBudget> = {}) {
		this.#budget = { ...DEFAULT_MERGE_BUDGET, ...budget };
	}

	/** Start the worker now rather than at the first job (starting one costs the event loop some milliseconds). */
	start(): void {
		if (!this.#closed) this.#worker ??= this.#spawn();
	}

	/** Merge updates into one. */
	merge(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#submit({ op: 'merge', parts });
	}

	/** Merge updates and read the result's state vector (a room being loaded). */
	load(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#submit({ op: 'load', parts });
	}

	/** Merge updates and take what they hold beyond `stateVector` (a sync answer). */
	diff(parts: Uint8Array[], stateVector: Uint8Array): Promise<MergeResult> {
		return this.#submit({ op: 'diff', parts, stateVector });
	}

	/**
	 * Merge updates, apply them to a `Y.Doc({ gc: true })` and encode its state: deleted and
	 * replaced content is dropped. The one job that integrates (superlinear, attacker-shaped), so
	 * its budget matters most; the result's state vector comes with it.
	 */
	collect(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#submit({ op: 'gc', parts });
	}

	/** Stop the worker; queued jobs are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const job of this.#queue.splice(0)) job.reject(new MergeBudgetError('relay closing'));
		const worker = this.#worker;
		this.#worker = null;
		if (this.#running) this.#finish(new MergeBudgetError('relay closing'));
		await worker?.terminate();
	}

	#submit(job: Omit<Job, 'resolve' | 'reject'>): Promise<MergeResult> {
		if (this.#closed) return Promise.reject(new MergeBudgetError('relay closing'));
		return new Promise((resolve, reject) => {
			this.#queue.push({ ...job, resolve, reject });
			this.#next();
		});
	}

	#spawn(): Worker {
		const yjs = createRequire(import.meta.url).resolve('yjs');
		const worker = new Worker(mergeWorkerUrl(), {
			workerData: { yjs },
			execArgv: [],
			resourceLimits: { maxOldGenerationSizeMb: this.#budget.heapMb, maxYoungGenerationSizeMb: 64 }
		});
		worker.unref();
		worker.on('message', (reply: { id: number; ok: boolean; error?: string } & MergeResult) => {
			if (this.#running?.id !== reply.id) return;
			if (reply.ok) this.#finish(null, { state: reply.state, stateVector: reply.stateVector, diff: reply.diff });
			else this.#finish(new MergeBudgetError(reply.error ?? 'unreadable update'));
		});
		worker.on('error', (error) => {
			if (this.#worker !== worker) return;
			this.#worker = null;
			this.#finish(new MergeBudgetError(error.message));
		});
		worker.on('exit', () => {
			if (this.#worker !== worker) return;
			this.#worker = null;
			this.#finish(new MergeBudgetError('merge worker exited'));
		});
		return worker;
	}

	#next(): void {
		if (this.#running || this.#closed) return;
		const job = this.#queue.shift();
		if (!job) return;
		this.#worker ??= this.#spawn();
		const worker = this.#worker;
		const id = this.#nextId++;
		const timer = setTimeout(() => {
			// Over time: the worker is busy in Yjs and cannot be told to stop, so it is replaced.
			this.#worker = null;
			void worker.terminate();
			this.#finish(new MergeBudgetError(`over ${this.#budget.timeMs} ms`));
		}, this.#budget.timeMs);
		this.#running = { job, id, timer };
		worker.ref();
		worker.postMessage({ id, op: job.op, parts: job.parts, stateVector: job.stateVector });
	}

	#finish(error: Error | null, result?: MergeResult): void {
		const running = this.#running;
		if (!running) return;
		this.#running = null;
		clearTimeout(running.timer);
		this.#worker?.unref();
		if (error) running.job.reject(error);
		else running.job.resolve(result!);
		this.#next();
	}
}
