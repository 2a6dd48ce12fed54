import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { MergeResult, MergeWorker } from './MergeWorker';
import type { RoomLog } from './RoomLog';

export interface CollectionPolicy {
	/** A room is collected once it holds this many bytes… */
	minBytes: number;
	/** …and this many times what it held after its last collection (growth since). */
	growth: number;
	/** After a collection over budget, the room waits this long before the next… */
	backoffMs: number;
	/** …doubling at each failure up to this. */
	maxBackoffMs: number;
}

export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = {
	minBytes: 1024 * 1024,
	growth: 2,
	backoffMs: 60_000,
	maxBackoffMs: 3_600_000
};

/** Rooms whose failures are remembered (the oldest are forgotten first). */
const MAX_REMEMBERED_FAILURES = 10_000;

/**
 * Garbage collection of rooms, relay-wide (y-redis's worker compaction, in a thread): a room's
 * log only ever grows by merging, so content deleted or replaced stays in its bytes for good (a
 * room that replaced a 15 MiB value four times held 60 MiB). Collecting applies the merged log to
 * a `Y.Doc({ gc: true })` in a worker thread of its own and keeps the encoded result. Integration
 * is superlinear and attacker-shaped, so each collection has the worker's time and heap budget;
 * a room whose collection failed is not tried again before its backoff is over (remembered
 * across unloads), so a CPU bomb costs the worker one budget per backoff, never the event loop,
 * and other rooms' merges and syncs never wait for it (they have their own worker).
 */
export class GarbageCollector {
	readonly policy: CollectionPolicy;
	readonly #worker: MergeWorker;
	readonly #failures = new Map<string, { retryAt: number; backoffMs: number }>();
	readonly #now: () => number;

	constructor(worker: MergeWorker, policy: Partial<CollectionPolicy> = {}, now: () => number = Date.now) {
		this.#worker = worker;
		this.policy = { ...DEFAULT_COLLECTION_POLICY, ...policy };
		this.#now = now;
	}

	/** The room has grown enough since its last collection, and may hold garbage, to be worth collecting now. */
	due(roomId: string, log: RoomLog): boolean {
		const { minBytes, growth } = this.policy;
		return log.hasGarbage && log.size >= Math.max(minBytes, growth * log.collectedSize) && !this.backingOff(roomId);
	}

	/** Collecting could free bytes (something deleted came since the last collection) and the room is not backing off. */
	mayFree(roomId: string, log: RoomLog): boolean {
		return log.hasGarbage && !this.backingOff(roomId);
	}

	/** A recent collection of the room failed. */
	backingOff(roomId: string): boolean {
		const failure = this.#failures.get(roomId);
		return failure !== undefined && this.#now() < failure.retryAt;
	}

	/** Collect `parts` in the worker; a failure starts (or doubles) the room's backoff and rejects. */
	async collect(roomId: string, parts: Uint8Array[]): Promise<MergeResult> {
		try {
			const result = await this.#worker.collect(parts);
			this.#failures.delete(roomId);
			return result;
		} catch (error) {
			this.failed(roomId);
			throw error;
		}
	}

	/** Count a failed collection of the room. */
	failed(roomId: string): void {
		const last = this.#failures.get(roomId);
		const backoffMs = last ? Math.min(last.backoffMs * 2, this.policy.maxBackoffMs) : this.policy.backoffMs;
		this.#failures.delete(roomId);
		this.#failures.set(roomId, { retryAt: this.#now() + backoffMs, backoffMs });
		if (this.#failures.size > MAX_REMEMBERED_FAILURES) this.#failures.delete(this.#failures.keys().next().value!);
	}

	close(): Promise<void> {
		return this.#worker.close();
	}
}

/** What a room lends its collection: its queue, and a way to store the collected state. */
export interface CollectionHost {
	readonly id: string;
	readonly log: RoomLog;
	readonly logger: Logger;
	readonly metrics: RelayMetrics;
	/** Queue a task on the room's serial queue. */
	run(task: () => void | Promise<void>): void;
	/** Store the log as it is now as the room's snapshot (replacing snapshot and log atomically). */
	save(): Promise<void>;
}

interface Job {
	token: object;
	/** Bytes of the parts collected. */
	bytes: number;
	result: Promise<MergeResult | null>;
}

/**
 * One room's garbage collection: at most one at a time. The worker runs outside the room's
 * queue, so updates go on being accepted meanwhile (the log keeps them aside); the result is
 * taken on the queue, where nothing else touches the log: it replaces the parts it was made
 * from, the updates accepted since follow it, and the whole is stored as the room's snapshot,
 * so none of them is lost.
 */
export class RoomCollection {
	readonly #host: CollectionHost;
	readonly #collector: GarbageCollector;
	#job: Job | null = null;

	constructor(host: CollectionHost, collector: GarbageCollector) {
		this.#host = host;
		this.#collector = collector;
	}

	/** After an update was appended: start a collection in the background if one is due. */
	maybeStart(): void {
		if (this.#job || !this.#collector.due(this.#host.id, this.#host.log)) return;
		const job = this.#start();
		// Taken on the queue once the worker is done, not before: the queue never waits on the worker here.
		void job.result.then(() => this.#host.run(() => this.#finish(job)));
	}

	/** Whether `collectNow` could make room (the update size check asks before refusing). */
	mayFree(): boolean {
		return this.#job !== null || this.#collector.mayFree(this.#host.id, this.#host.log);
	}

	/**
	 * Collect now (or finish the collection under way) and take the result. Called on the room's
	 * queue, which waits: the update being checked against the room's size waits with it.
	 */
	async collectNow(): Promise<void> {
		await this.#finish(this.#job ?? this.#start());
	}

	#start(): Job {
		const { id, log, logger } = this.#host;
		const { parts, token } = log.beginCollection();
		const bytes = log.size;
		const started = performance.now();
		const result = this.#collector.collect(id, parts).then(
			(result) => {
				logger.info({ bytes, collected: result.state.byteLength, ms: Math.round(performance.now() - started) }, 'room garbage collected');
				return result;
			},
			(error: unknown) => {
				logger.warn({ err: error, bytes, ms: Math.round(performance.now() - started) }, 'room garbage collection over budget; left as it is and backing off');
				return null;
			}
		);
		return (this.#job = { token, bytes, result });
	}

	/** On the room's queue: take the job's result (once; whichever path comes first). */
	async #finish(job: Job): Promise<void> {
		const result = await job.result;
		if (this.#job !== job) return;
		this.#job = null;
		const { log, logger, metrics } = this.#host;
		if (!result) {
			metrics.roomCollections.inc({ result: 'over_budget' });
			return log.abandonCollection(job.token);
		}
		if (!log.useCollected(job.token, result.state, result.stateVector!)) {
			metrics.roomCollections.inc({ result: 'dropped' });
			// Loaded again meanwhile (Redis resync), or the result lost a clock: not used, not retried soon.
			this.#collector.failed(this.#host.id);
			logger.warn({}, 'garbage collection result dropped: it does not match the room');
			return;
		}
		metrics.roomCollections.inc({ result: 'collected' });
		metrics.collectedBytes.inc(Math.max(0, job.bytes - result.state.byteLength));
		try {
			await this.#host.save();
		} catch (error) {
			// Memory holds the collected state; the store still holds the same content uncollected.
			logger.error({ err: error }, 'could not store the collected room; it is stored again at the next flush');
			log.logged = Math.max(log.logged, 1);
		}
	}
}
