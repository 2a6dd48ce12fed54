import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MalformedMessageError, MessageType } from './protocol';
import { checkJsonDepth, UpdateBudgetError } from './updateScan';

/** Who speaks for an awareness client id: a connection of this relay, or another relay (its id). */
export type PresenceOwner = object | string;

/** What presence may cost (docs/RELAY.md, "Presence"). */
export interface PresenceBudget {
	/** Bytes of one client's JSON state. */
	maxStateBytes: number;
	/** Nesting of arrays and objects in one state. */
	maxStateDepth: number;
	/** Client ids one connection may announce. */
	maxClientsPerConnection: number;
}

/** Presence over its budget: the sender is closed, the state is not kept. */
export class PresenceBudgetError extends Error {
	constructor(reason: string) {
		super(`presence over budget: ${reason}`);
		this.name = 'PresenceBudgetError';
	}
}

interface Entry {
	clock: number;
	/** The state as JSON text, kept as received: it is sent on as it came, never parsed again. */
	json: string;
	owner: PresenceOwner;
	updatedAt: number;
}

/** What one applied message changed. */
export interface PresenceChange {
	/** Clients whose state changed or was renewed (to broadcast). */
	changed: number[];
	/** Clients the sender announced at a clock the room has passed: [client, clock to pass] (see encodeRemoval). */
	stale: [number, number][];
	/** Entries from the sender dropped because another owner holds the client id. */
	dropped: number;
}

/** Clocks of removed clients remembered, so a removed state is not brought back by an old message. */
const REMEMBERED_REMOVALS = 4096;

/**
 * A room's presence without y-protocols' Awareness (which parses every state and keeps a clock
 * for every client id ever seen, forever). The rules are y-protocols' clock rules, plus
 * ownership: a client id belongs to the owner that first announced a state for it, until that
 * state is removed; anyone else's states for it are dropped. A removal for an id nobody owns
 * claims nothing. States are checked for size and depth as bytes, before anything is parsed.
 */
export class Presence {
	readonly #entries = new Map<number, Entry>();
	readonly #removed = new Map<number, number>();
	readonly #owned = new Map<PresenceOwner, Set<number>>();
	readonly #budget: PresenceBudget;

	constructor(budget: PresenceBudget) {
		this.#budget = budget;
	}

	get size(): number {
		return this.#entries.size;
	}

	/** Client ids `owner` holds. */
	ownedBy(owner: PresenceOwner): number[] {
		return [...(this.#owned.get(owner) ?? [])];
	}

	/** Every client with a state. */
	clients(): number[] {
		return [...this.#entries.keys()];
	}

	/**
	 * Apply an awareness update from `owner`. `checked`: hold it to the budget (a connection;
	 * another relay's messages were checked there). Throws MalformedMessageError or
	 * PresenceBudgetError before changing anything.
	 */
	apply(update: Uint8Array, owner: PresenceOwner, checked: boolean, now = Date.now()): PresenceChange {
		const incoming = readAwareness(update, checked ? this.#budget : null);
		const change: PresenceChange = { changed: [], stale: [], dropped: 0 };
		if (checked) {
			const owned = this.#owned.get(owner);
			let fresh = 0;
			for (const { client, json } of incoming) if (json !== 'null' && !this.#entries.has(client) && !owned?.has(client)) fresh++;
			if ((owned?.size ?? 0) + fresh > this.#budget.maxClientsPerConnection) {
				throw new PresenceBudgetError(`more than ${this.#budget.maxClientsPerConnection} client ids`);
			}
		}
		for (const { client, clock, json } of incoming) {
			const entry = this.#entries.get(client);
			if (entry) {
				if (entry.owner !== owner) {
					change.dropped++;
					continue;
				}
				if (clock > entry.clock || (clock === entry.clock && json === 'null')) {
					if (json === 'null') this.#remove(client, clock);
					else Object.assign(entry, { clock, json, updatedAt: now });
					change.changed.push(client);
				}
				continue;
			}
			// Nobody holds the id: a removal claims nothing (stock clients echo others' removals).
			if (json === 'null') continue;
			const removedAt = this.#removed.get(client);
			if (removedAt !== undefined && clock <= removedAt) {
				// Back after its connection went, at a clock every peer has passed: have it re-announce.
				change.stale.push([client, removedAt]);
				continue;
			}
			this.#removed.delete(client);
			this.#entries.set(client, { clock, json, owner, updatedAt: now });
			let owned = this.#owned.get(owner);
			if (!owned) this.#owned.set(owner, (owned = new Set()));
			owned.add(client);
			change.changed.push(client);
		}
		return change;
	}

	/** Remove every state `owner` holds (its connection closed, or its relay is gone); returns the clients. */
	removeOwner(owner: PresenceOwner): number[] {
		const clients = this.ownedBy(owner);
		for (const client of clients) this.#remove(client, this.#entries.get(client)!.clock);
		this.#owned.delete(owner);
		return clients;
	}

	/** Remove states not renewed for `timeoutMs` (clients renew every 15 s); returns the clients. */
	expire(timeoutMs: number, now = Date.now()): number[] {
		const expired: number[] = [];
		for (const [client, entry] of this.#entries) if (now - entry.updatedAt >= timeoutMs) expired.push(client);
		for (const client of expired) this.#remove(client, this.#entries.get(client)!.clock);
		return expired;
	}

	/** An awareness update (y-protocols' encoding) for `clients`: their states, or null at the clock they were removed. */
	encode(clients: Iterable<number>): Uint8Array {
		const encoder = encoding.createEncoder();
		const list = [...clients];
		encoding.writeVarUint(encoder, list.length);
		for (const client of list) {
			const entry = this.#entries.get(client);
			encoding.writeVarUint(encoder, client);
			encoding.writeVarUint(encoder, entry?.clock ?? this.#removed.get(client) ?? 0);
			encoding.writeVarString(encoder, entry?.json ?? 'null');
		}
		return encoding.toUint8Array(encoder);
	}

	/** The current clock of a client's state, if it has one. */
	clockOf(client: number): number | undefined {
		return this.#entries.get(client)?.clock;
	}

	#remove(client: number, clock: number): void {
		const entry = this.#entries.get(client);
		if (!entry) return;
		this.#entries.delete(client);
		this.#owned.get(entry.owner)?.delete(client);
		this.#removed.delete(client);
		this.#removed.set(client, clock);
		if (this.#removed.size > REMEMBERED_REMOVALS) this.#removed.delete(this.#removed.keys().next().value!);
	}
}

/** Read an awareness update; with a budget, each state's size and depth are checked, and it must be JSON. */
function readAwareness(update: Uint8Array, budget: PresenceBudget | null): { client: number; clock: number; json: string }[] {
	const decoder = decoding.createDecoder(update);
	const entries: { client: number; clock: number; json: string }[] = [];
	try {
		const count = decoding.readVarUint(decoder);
		for (let i = 0; i < count; i++) {
			const client = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			if (budget) {
				if (json.length > budget.maxStateBytes) throw new PresenceBudgetError(`a state over ${budget.maxStateBytes} bytes`);
				try {
					checkJsonDepth(json, budget.maxStateDepth);
				} catch (error) {
					if (error instanceof UpdateBudgetError) throw new PresenceBudgetError(`a state nested deeper than ${budget.maxStateDepth}`);
					throw error;
				}
				try {
					JSON.parse(json);
				} catch {
					throw new MalformedMessageError('awareness state is not JSON');
				}
			}
			entries.push({ client, clock, json });
		}
	} catch (error) {
		if (error instanceof PresenceBudgetError || error instanceof MalformedMessageError) throw error;
		throw new MalformedMessageError(`corrupt awareness update: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after awareness update');
	return entries;
}

/**
 * An awareness message saying a client's state was removed at `clock`. Sent to that client, it
 * makes y-protocols bump the client's clock and re-announce its state, which every peer accepts.
 */
export function encodeRemoval(client: number, clock: number): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, 1);
	encoding.writeVarUint(update, client);
	encoding.writeVarUint(update, clock);
	encoding.writeVarString(update, 'null');
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
	return encoding.toUint8Array(encoder);
}
