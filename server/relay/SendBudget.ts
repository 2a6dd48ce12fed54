/** What the budget needs of a connection: how many bytes sit unread on its socket. */
export interface QueueHolder {
	readonly socket: { readonly bufferedAmount: number };
}

/**
 * The relay's budget for bytes queued unread on all its connections together
 * (`MAX_QUEUED_BYTES_TOTAL`). Each connection already has its own cap; this one keeps many slow
 * readers, each under its cap, from holding the relay's memory together.
 *
 * Sockets drain on their own, so the total is an estimate: every send adds its bytes, and only
 * when the estimate reaches the limit are the queues summed again (at most every 10 ms, so a
 * flood of sends at the limit costs one pass over the connections per 10 ms, not one per send).
 */
export class SendBudget {
	readonly limit: number;
	readonly #holders = new Set<QueueHolder>();
	readonly #now: () => number;
	#total = 0;
	#measuredAt = -Infinity;

	constructor(limit: number, now: () => number = () => performance.now()) {
		this.limit = limit;
		this.#now = now;
	}

	add(holder: QueueHolder): void {
		this.#holders.add(holder);
	}

	delete(holder: QueueHolder): void {
		this.#holders.delete(holder);
	}

	/** Count `bytes` about to be queued; false when the relay's queues would then pass the limit. */
	charge(bytes: number): boolean {
		if (this.#total + bytes > this.limit && this.#now() - this.#measuredAt >= 10) this.#measure();
		this.#total += bytes;
		return this.#total <= this.limit;
	}

	/** Bytes queued on every connection, as last summed plus what was sent since. */
	get queued(): number {
		return this.#total;
	}

	#measure(): void {
		let total = 0;
		for (const holder of this.#holders) total += holder.socket.bufferedAmount;
		this.#total = total;
		this.#measuredAt = this.#now();
	}
}
