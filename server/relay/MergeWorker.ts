import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BudgetedWorker } from '../workers/BudgetedWorker';

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

/** What the worker receives with a job's id (mergeWorker.js). */
interface MergeRequest {
	op: 'merge' | 'load' | 'diff' | 'gc';
	parts: Uint8Array[];
	stateVector?: Uint8Array;
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
	readonly #jobs: BudgetedWorker<MergeRequest, MergeResult>;

	constructor(budget: Partial<MergeBudget> = {}) {
		const { timeMs, heapMb } = { ...DEFAULT_MERGE_BUDGET, ...budget };
		const yjs = createRequire(import.meta.url).resolve('yjs');
		this.#jobs = new BudgetedWorker<MergeRequest, MergeResult>({
			spawn: () =>
				new Worker(mergeWorkerUrl(), {
					workerData: { yjs },
					execArgv: [],
					resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64 }
				}),
			timeMs,
			result: (reply) => ({ state: reply.state as Uint8Array, stateVector: reply.stateVector as Uint8Array | undefined, diff: reply.diff as Uint8Array | undefined }),
			refused: (reason) => new MergeBudgetError(reason),
			closed: () => new MergeBudgetError('relay closing'),
			name: 'merge worker',
			unreadable: 'unreadable update'
		});
	}

	/** Start the worker now rather than at the first job (starting one costs the event loop some milliseconds). */
	start(): void {
		this.#jobs.start();
	}

	/** Merge updates into one. */
	merge(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#jobs.run({ op: 'merge', parts });
	}

	/** Merge updates and read the result's state vector (a room being loaded). */
	load(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#jobs.run({ op: 'load', parts });
	}

	/** Merge updates and take what they hold beyond `stateVector` (a sync answer). */
	diff(parts: Uint8Array[], stateVector: Uint8Array): Promise<MergeResult> {
		return this.#jobs.run({ op: 'diff', parts, stateVector });
	}

	/**
	 * Merge updates, apply them to a `Y.Doc({ gc: true })` and encode its state: deleted and
	 * replaced content is dropped. The one job that integrates (superlinear, attacker-shaped), so
	 * its budget matters most; the result's state vector comes with it.
	 */
	collect(parts: Uint8Array[]): Promise<MergeResult> {
		return this.#jobs.run({ op: 'gc', parts });
	}

	/** Stop the worker; queued jobs are refused. */
	close(): Promise<void> {
		return this.#jobs.close();
	}
}
