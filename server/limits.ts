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
	/** Bytes of all rooms held in memory; past it, idle rooms are unloaded and new rooms get 4503. */
	maxRoomBytesInMemory: number;
	/** Structs in one update; more close with 4422. */
	maxStructsPerUpdate: number;
	/** Client ids in one update; more close with 4422. */
	maxClientsPerUpdate: number;
	/** Client ids one room may hold; an update past it closes with 4422. */
	maxClientsPerRoom: number;
	/** Nesting of arrays and objects in an update's content or a presence state; deeper closes with 4422. */
	maxNestingDepth: number;
	/** Bytes of updates waiting for their dependencies, per connection; more close with 4422. */
	maxPendingBytesPerConnection: number;
	/** Bytes of one presence state; more close with 4422. */
	maxPresenceStateBytes: number;
	/** Presence client ids one connection may announce; more close with 4422. */
	maxPresenceClientsPerConnection: number;
	/** Bytes queued unread on one connection; past it the connection is dropped (4508). */
	maxQueuedBytesPerConnection: number;
	/** Bytes queued unread on all connections together; past it, connections with 64 KiB or more unread are dropped (4508). */
	maxQueuedBytesTotal: number;
	/** Rooms one address may claim in an hour; more close with 4429. */
	maxRoomsPerAddressPerHour: number;
	/** Bytes of updates one address may store in an hour; more close with 4429. */
	maxBytesPerAddressPerHour: number;
}

export const DEFAULT_LIMITS: Limits = {
	maxFrameBytes: 16 * 1024 * 1024,
	maxDocBytes: 64 * 1024 * 1024,
	maxConnectionsPerAddress: 64,
	maxAttemptsPerMinute: 240,
	maxRoomsInMemory: 500,
	maxRoomBytesInMemory: 1024 * 1024 * 1024,
	maxStructsPerUpdate: 1_000_000,
	maxClientsPerUpdate: 1000,
	maxClientsPerRoom: 50_000,
	maxNestingDepth: 64,
	maxPendingBytesPerConnection: 1024 * 1024,
	maxPresenceStateBytes: 64 * 1024,
	maxPresenceClientsPerConnection: 16,
	maxQueuedBytesPerConnection: 8 * 1024 * 1024,
	maxQueuedBytesTotal: 256 * 1024 * 1024,
	maxRoomsPerAddressPerHour: 120,
	maxBytesPerAddressPerHour: 512 * 1024 * 1024
};

/** Environment variable of each budget limit (docs/RELAY.md): MAX_STRUCTS_PER_UPDATE and so on. */
const BUDGET_KEYS = [
	'maxRoomBytesInMemory',
	'maxStructsPerUpdate',
	'maxClientsPerUpdate',
	'maxClientsPerRoom',
	'maxNestingDepth',
	'maxPendingBytesPerConnection',
	'maxPresenceStateBytes',
	'maxPresenceClientsPerConnection',
	'maxQueuedBytesPerConnection',
	'maxQueuedBytesTotal',
	'maxRoomsPerAddressPerHour',
	'maxBytesPerAddressPerHour'
] as const;

/** The budget limits read with `read(ENV_NAME, default)` (config.ts passes its integer parser). */
export function budgetLimits(read: (name: string, fallback: number) => number): Pick<Limits, (typeof BUDGET_KEYS)[number]> {
	const limits = {} as Pick<Limits, (typeof BUDGET_KEYS)[number]>;
	for (const key of BUDGET_KEYS) limits[key] = read(key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), DEFAULT_LIMITS[key]);
	return limits;
}

/**
 * Amounts per address per hour (rooms claimed, bytes stored), in fixed one-hour windows: a
 * window starts at an address's first use and its count resets when the hour is over.
 */
export class HourlyQuota {
	readonly #used = new Map<string, { amount: number; since: number }>();
	readonly #limit: number;
	readonly #now: () => number;

	constructor(limit: number, now: () => number = Date.now) {
		this.#limit = limit;
		this.#now = now;
	}

	/** Count `amount` for the address; false (nothing counted) if that would pass the limit. */
	take(address: string, amount = 1): boolean {
		const now = this.#now();
		let used = this.#used.get(address);
		if (!used || now - used.since >= 3_600_000) this.#used.set(address, (used = { amount: 0, since: now }));
		if (used.amount + amount > this.#limit) return false;
		used.amount += amount;
		return true;
	}

	/** Forget windows that are over. */
	sweep(): void {
		const now = this.#now();
		for (const [address, used] of this.#used) if (now - used.since >= 3_600_000) this.#used.delete(address);
	}
}

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
