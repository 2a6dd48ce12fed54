import type { Logger } from '../log';

/** One step of a room's work; returns a promise only when it has to wait (loading, the store, the merge worker). */
export type Task = (() => void | Promise<void>) & { what?: string };

/** A task that holds the event loop longer than this is logged. */
const SLOW_TASK_MS = 50;

/**
 * A room's work, one task at a time, in order. The queue is a plain array used only while a
 * task is in progress: when nothing waits, a task runs to the end at once, without a promise
 * or an event-loop hop. That is what gives a room its guarantees: nothing is answered before
 * stored state is loaded, an update is stored before it is broadcast, and broadcasts leave in
 * the order updates were accepted.
 */
export class SerialQueue {
	readonly #log: Logger;
	/** A task is in progress (possibly waiting on a promise); new tasks wait in #waiting. */
	#busy = false;
	readonly #waiting: Task[] = [];

	constructor(log: Logger) {
		this.#log = log;
	}

	/** Tasks not started yet. */
	get length(): number {
		return this.#waiting.length;
	}

	/** Run `task` now if the queue is idle, else after the tasks before it. */
	run(task: Task): void {
		if (this.#busy) {
			this.#waiting.push(task);
			return;
		}
		this.#busy = true;
		this.#drain(task);
	}

	/** Run tasks in order, synchronously until one returns a promise; continue when it settles. */
	#drain(task: Task | undefined): void {
		while (task) {
			let pending: void | Promise<void> = undefined;
			const started = performance.now();
			try {
				pending = task();
			} catch (error) {
				// Tasks handle their own errors; this only keeps the queue going if one does not.
				this.#log.error({ err: error }, 'room task failed');
			}
			const ms = performance.now() - started;
			// Every room waits while one task holds the event loop: worth a line when it happens.
			if (ms > SLOW_TASK_MS) this.#log.warn({ ms: Math.round(ms), task: task.what }, 'slow room task');
			if (pending) {
				pending
					.catch((error: unknown) => this.#log.error({ err: error }, 'room task failed'))
					.then(() => this.#drain(this.#waiting.shift()));
				return;
			}
			task = this.#waiting.shift();
		}
		this.#busy = false;
	}
}
