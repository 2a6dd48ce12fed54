import type { Worker } from 'node:worker_threads';

/** What a worker answers: the job's id, and either its result's fields or an error. */
export type WorkerReply = { id: number; ok: boolean; error?: string } & Record<string, unknown>;

export interface BudgetedWorkerOptions<Result> {
	/** Start a worker thread (with its heap budget in `resourceLimits`). */
	spawn: () => Worker;
	/** Longest one job may run; past it the worker is replaced. */
	timeMs: number;
	/** The job's result, read from a successful reply. */
	result: (reply: WorkerReply) => Result;
	/** The error of a job refused for `reason` (over time, out of heap, unreadable input, worker lost). */
	refused: (reason: string) => Error;
	/** The error of a job that never ran or was cut short because the worker was closed. */
	closed: () => Error;
	/** The worker's name in the reason given when it exits mid-job ("<name> exited"). */
	name: string;
	/** The reason given for a failed reply that names none. */
	unreadable: string;
}

interface Job<Result> {
	request: object;
	resolve: (result: Result) => void;
	reject: (error: Error) => void;
}

/**
 * One worker thread that runs jobs one at a time, off the event loop, each within a time budget
 * (past it the worker, busy inside Yjs and unable to be told to stop, is terminated and replaced)
 * and the heap budget the worker was spawned with. A job over budget is refused; the jobs queued
 * behind it only wait. Idle, the worker does not hold the process open.
 */
export class BudgetedWorker<Request extends object, Result> {
	readonly #options: BudgetedWorkerOptions<Result>;
	readonly #queue: Job<Result>[] = [];
	#worker: Worker | null = null;
	#running: { job: Job<Result>; id: number; timer: NodeJS.Timeout } | null = null;
	#nextId = 1;
	#closed = false;

	constructor(options: BudgetedWorkerOptions<Result>) {
		this.#options = options;
	}

	/** Start the worker now rather than at the first job (starting one costs the event loop some milliseconds). */
	start(): void {
		if (!this.#closed) this.#worker ??= this.#spawn();
	}

	/** Queue a job; the worker receives `{ id, ...request }`. */
	run(request: Request): Promise<Result> {
		if (this.#closed) return Promise.reject(this.#options.closed());
		return new Promise((resolve, reject) => {
			this.#queue.push({ request, resolve, reject });
			this.#next();
		});
	}

	/** Stop the worker; queued jobs and the running one are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const job of this.#queue.splice(0)) job.reject(this.#options.closed());
		const worker = this.#worker;
		this.#worker = null;
		if (this.#running) this.#finish(this.#options.closed());
		await worker?.terminate();
	}

	#spawn(): Worker {
		const worker = this.#options.spawn();
		worker.unref();
		worker.on('message', (reply: WorkerReply) => {
			if (this.#running?.id !== reply.id) return;
			if (reply.ok) this.#finish(null, this.#options.result(reply));
			else this.#finish(this.#options.refused(reply.error ?? this.#options.unreadable));
		});
		const lost = (reason: string) => {
			if (this.#worker !== worker) return;
			this.#worker = null;
			this.#finish(this.#options.refused(reason));
		};
		worker.on('error', (error) => lost(error.message));
		worker.on('exit', () => lost(`${this.#options.name} exited`));
		return worker;
	}

	#next(): void {
		if (this.#running || this.#closed) return;
		const job = this.#queue.shift();
		if (!job) return;
		const worker = (this.#worker ??= this.#spawn());
		const id = this.#nextId++;
		const timer = setTimeout(() => {
			this.#worker = null;
			void worker.terminate();
			this.#finish(this.#options.refused(`over ${this.#options.timeMs} ms`));
		}, this.#options.timeMs);
		this.#running = { job, id, timer };
		worker.ref();
		worker.postMessage({ id, ...job.request });
	}

	#finish(error: Error | null, result?: Result): void {
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
