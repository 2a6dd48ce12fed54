/** Limits a relay enforces; each breach has a close code (server/relay/closeCodes.ts) and a log line. */
export interface Limits {
	/** Largest WebSocket frame accepted; larger ones close with 1009. */
	maxFrameBytes: number;
	/** Largest stored document; an update that would pass it closes with 4413. */
	maxDocBytes: number;
	/** Open connections from one address; more close with 4429. */
	maxConnectionsPerAddress: number;
	/** Connection attempts from one address in any minute; more close with 4429. */
	maxAttemptsPerMinute: number;
	/** Rooms held in memory; the least recently used idle room is unloaded, else 4503. */
	maxRoomsInMemory: number;
}

export const DEFAULT_LIMITS: Limits = {
	maxFrameBytes: 16 * 1024 * 1024,
	maxDocBytes: 64 * 1024 * 1024,
	maxConnectionsPerAddress: 64,
	maxAttemptsPerMinute: 240,
	maxRoomsInMemory: 500
};

/**
 * Per-address connection counts and attempt rates. Attempts use a token bucket that refills
 * continuously, so "per minute" holds over any window rather than per calendar minute.
 */
export class AddressLimiter {
	readonly #open = new Map<string, number>();
	readonly #buckets = new Map<string, { tokens: number; at: number }>();
	readonly #limits: Pick<Limits, 'maxConnectionsPerAddress' | 'maxAttemptsPerMinute'>;
	readonly #now: () => number;

	constructor(limits: Pick<Limits, 'maxConnectionsPerAddress' | 'maxAttemptsPerMinute'>, now: () => number = Date.now) {
		this.#limits = limits;
		this.#now = now;
	}

	/** Count one attempt; false if the address is over its rate. */
	attempt(address: string): boolean {
		const now = this.#now();
		const capacity = this.#limits.maxAttemptsPerMinute;
		const bucket = this.#buckets.get(address) ?? { tokens: capacity, at: now };
		bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * capacity) / 60_000);
		bucket.at = now;
		this.#buckets.set(address, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	/** Take a connection slot; false if the address has too many open. */
	open(address: string): boolean {
		const count = this.#open.get(address) ?? 0;
		if (count >= this.#limits.maxConnectionsPerAddress) return false;
		this.#open.set(address, count + 1);
		return true;
	}

	/** Give back a slot taken by `open`. */
	release(address: string): void {
		const count = (this.#open.get(address) ?? 1) - 1;
		if (count <= 0) this.#open.delete(address);
		else this.#open.set(address, count);
	}

	/** Forget full buckets so the map does not grow with every address ever seen. */
	sweep(): void {
		const now = this.#now();
		const capacity = this.#limits.maxAttemptsPerMinute;
		for (const [address, bucket] of this.#buckets) {
			if (bucket.tokens + ((now - bucket.at) * capacity) / 60_000 >= capacity) this.#buckets.delete(address);
		}
	}
}
