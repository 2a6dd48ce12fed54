import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { UpdateSummary } from './updateScan';

/** Where an incoming update stands against what the room holds. */
export type UpdateFit =
	/** Everything it needs is here: it can be stored and sent on. */
	| 'complete'
	/** It refers to clocks the room does not hold yet (another client's update may bring them). */
	| 'pending'
	/** Every struct in it is here already and it deletes nothing: nothing to do. */
	| 'known';

/**
 * A room's document as the relay holds it: the bytes the store accepted (a merged state
 * followed by the updates accepted since), and the state vector they add up to. Never a
 * `Y.Doc`: the relay never integrates an update, so no update's shape can make it do
 * superlinear work, and memory is the stored bytes, not a struct graph forty times larger.
 *
 * Only updates that are complete against the state vector are appended, so the parts never
 * hold a gap: the state vector read from a part is exact, and a merge never yields pending
 * structs that a snapshot would keep forever.
 */
export class RoomLog {
	/** parts[0] may be a merge of earlier parts; merging in memory never changes the store. */
	#parts: Uint8Array[] = [];
	#bytes = 0;
	readonly #stateVector = new Map<number, number>();
	#encoded: Uint8Array | null = null;

	/** Updates accepted since the last snapshot, and their bytes (the store's log). */
	logged = 0;
	loggedBytes = 0;

	/** Bytes the room held right after its last garbage collection (0: none since it loaded). */
	collectedSize = 0;
	/** Something deleted may be held: an update with deletes came since the last collection (unknown after a load, so yes). */
	#garbage = false;
	/** While a collection runs: the updates appended since it took the parts, which its result lacks. */
	#collecting: { since: Uint8Array[]; stateVector: Map<number, number> } | null = null;

	/** Bytes held (stored state: snapshot plus log, or their merge). */
	get size(): number {
		return this.#bytes;
	}

	/** Client ids the room holds structs of. */
	get clients(): number {
		return this.#stateVector.size;
	}

	get parts(): readonly Uint8Array[] {
		return this.#parts;
	}

	/** Start from stored state: its parts, and the state vector of their merge (Y.encodeStateVectorFromUpdate). */
	load(parts: Uint8Array[], stateVector: Uint8Array): void {
		this.#parts = parts.filter((part) => part.byteLength > 0);
		this.#bytes = this.#parts.reduce((sum, part) => sum + part.byteLength, 0);
		this.#stateVector.clear();
		for (const [client, clock] of Y.decodeStateVector(stateVector)) this.#stateVector.set(client, clock);
		this.#encoded = null;
		this.logged = Math.max(0, parts.length - 1);
		this.loggedBytes = 0;
		this.collectedSize = 0;
		this.#garbage = this.#parts.length > 0;
		// A collection under way took parts this load replaced: its result no longer fits.
		this.#collecting = null;
	}

	/** True if an update that deleted something was appended since the last collection (or the load). */
	get hasGarbage(): boolean {
		return this.#garbage;
	}

	/**
	 * Start a garbage collection: the parts to collect, and a token for `useCollected`. Updates
	 * appended from now on are kept aside, to follow the collected state.
	 */
	beginCollection(): { parts: Uint8Array[]; token: object } {
		const collecting = { since: [] as Uint8Array[], stateVector: new Map(this.#stateVector) };
		this.#collecting = collecting;
		this.#garbage = false;
		return { parts: [...this.#parts], token: collecting };
	}

	/**
	 * The collection `token` began gave `collected`, whose state vector is `stateVector`: hold it
	 * followed by the updates appended since. False, and nothing changed, if the log was loaded
	 * again or another collection began meanwhile, or if `collected` does not hold exactly what
	 * the collected parts held (a collection may drop garbage, never a struct's clock).
	 */
	useCollected(token: object, collected: Uint8Array, stateVector: Uint8Array): boolean {
		if (this.#collecting !== token) return false;
		if (!sameStateVector(this.#collecting.stateVector, Y.decodeStateVector(stateVector))) {
			this.abandonCollection(token);
			return false;
		}
		const { since } = this.#collecting;
		this.#collecting = null;
		this.#parts = [collected, ...since];
		this.#bytes = since.reduce((sum, part) => sum + part.byteLength, collected.byteLength);
		this.collectedSize = collected.byteLength;
		this.#encoded = null;
		return true;
	}

	/** The collection `token` began came to nothing: its garbage is still held. */
	abandonCollection(token: object): void {
		if (this.#collecting !== token) return;
		this.#collecting = null;
		this.#garbage = true;
	}

	/** How `summary`'s update fits what the room holds. */
	fit(summary: UpdateSummary): UpdateFit {
		let adds = false;
		for (const [client, range] of summary.ranges) {
			const held = this.#stateVector.get(client) ?? 0;
			if (range.needs > held) return 'pending';
			if (range.end > held) adds = true;
		}
		for (const [client, clock] of summary.refs) {
			const range = summary.ranges.get(client);
			if (clock >= Math.max(this.#stateVector.get(client) ?? 0, range?.end ?? 0)) return 'pending';
		}
		return adds || summary.deletes > 0 ? 'complete' : 'known';
	}

	/** Client ids in the update that the room does not hold yet. */
	newClients(summary: UpdateSummary): number {
		let count = 0;
		for (const client of summary.ranges.keys()) if (!this.#stateVector.has(client)) count++;
		return count;
	}

	/** Add an update the store accepted (complete, see `fit`). */
	append(update: Uint8Array, summary: UpdateSummary, logged = true): void {
		this.#parts.push(update);
		this.#bytes += update.byteLength;
		for (const [client, range] of summary.ranges) {
			if (range.end > (this.#stateVector.get(client) ?? 0)) this.#stateVector.set(client, range.end);
		}
		this.#encoded = null;
		if (summary.deletes > 0) this.#garbage = true;
		this.#collecting?.since.push(update);
		if (logged) {
			this.logged += 1;
			this.loggedBytes += update.byteLength;
		}
	}

	/** The state vector, encoded for sync step 1 (cached until the next append). */
	stateVector(): Uint8Array {
		if (this.#encoded) return this.#encoded;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, this.#stateVector.size);
		for (const [client, clock] of this.#stateVector) {
			encoding.writeVarUint(encoder, client);
			encoding.writeVarUint(encoder, clock);
		}
		return (this.#encoded = encoding.toUint8Array(encoder));
	}

	/** Merge the parts here, on the calling thread (small rooms: linear, and cheap at that size). */
	mergeHere(): Uint8Array {
		if (this.#parts.length === 0) return EMPTY_UPDATE;
		if (this.#parts.length > 1) this.useMerged(Y.mergeUpdates(this.#parts), this.#parts.length);
		return this.#parts[0];
	}

	/** Replace the first `count` parts with `merged`, their merge (done elsewhere). */
	useMerged(merged: Uint8Array, count: number): void {
		const rest = this.#parts.slice(count);
		this.#parts = [merged, ...rest];
		this.#bytes = rest.reduce((sum, part) => sum + part.byteLength, merged.byteLength);
	}

	/** The store's log was folded into a snapshot. */
	snapshotted(): void {
		this.logged = 0;
		this.loggedBytes = 0;
	}
}

function sameStateVector(a: Map<number, number>, b: Map<number, number>): boolean {
	if (a.size !== b.size) return false;
	for (const [client, clock] of a) if (b.get(client) !== clock) return false;
	return true;
}

/** An update that changes nothing. */
export const EMPTY_UPDATE = Uint8Array.of(0, 0);

/** The state vector of a peer with nothing. */
export const EMPTY_STATE_VECTOR = Uint8Array.of(0);

/** True if an encoded state vector names no client (a peer with nothing). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
	return decoding.readVarUint(decoding.createDecoder(stateVector)) === 0;
}
