import type { ChangeFacts, ClockRange } from './changeFacts';
import { updateDeletes, updateEnds } from './changeFacts';

/**
 * What this device knows the relay holds, learnt only from what the relay sent on its socket:
 * its state vector (sync step 1, on every connection) advanced by each struct it sent since
 * (its sync step 2 and the updates it broadcasts, ours included: it stores an update before it
 * broadcasts it to every connection of the room, the sender's too), plus the deletions it sent.
 *
 * A struct the relay sent proves it holds all that client's earlier structs too: a Yjs document
 * integrates one client's structs only in clock order, and the relay only sends what integrated.
 */
export class RelayCoverage {
	readonly #clocks = new Map<number, number>();
	readonly #deleted = new Map<number, ClockRange[]>();

	/** The relay's own state vector (its sync step 1): replaces what was known. */
	setStateVector(stateVector: Map<number, number>): void {
		this.#clocks.clear();
		for (const [client, clock] of stateVector) this.#clocks.set(client, clock);
	}

	/**
	 * Learn from a sync step 2 or update the relay sent. Deletions are decoded only when
	 * `withDeletes` (a change waiting for them is pending): decoding costs a full parse, and a
	 * local deletion can only be covered by relay messages that arrive after it was made.
	 */
	learn(update: Uint8Array, withDeletes: boolean): void {
		for (const [client, clock] of updateEnds(update)) {
			if (clock > (this.#clocks.get(client) ?? 0)) this.#clocks.set(client, clock);
		}
		if (!withDeletes) return;
		for (const [client, ranges] of updateDeletes(update)) {
			this.#deleted.set(client, mergeRanges([...(this.#deleted.get(client) ?? []), ...ranges]));
		}
	}

	/** Forget deletions (nothing pending needs them any more). */
	forgetDeletes(): void {
		this.#deleted.clear();
	}

	/** The relay's known clock of a client. */
	clock(client: number): number {
		return this.#clocks.get(client) ?? 0;
	}

	/** True when the relay holds every struct and deletion of the change. */
	covers(change: ChangeFacts): boolean {
		for (const [client, end] of change.ends) if (this.clock(client) < end) return false;
		for (const [client, ranges] of change.deletes) {
			const known = this.#deleted.get(client) ?? [];
			if (!ranges.every((range) => isCovered(range, known))) return false;
		}
		return true;
	}
}

/** Sorted, merged copy of ranges (touching ranges join). */
export function mergeRanges(ranges: ClockRange[]): ClockRange[] {
	const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
	const merged: ClockRange[] = [];
	for (const [start, end] of sorted) {
		const last = merged[merged.length - 1];
		if (last && start <= last[1]) last[1] = Math.max(last[1], end);
		else merged.push([start, end]);
	}
	return merged;
}

/** True when `range` lies inside one of the merged `known` ranges. */
function isCovered([start, end]: ClockRange, known: ClockRange[]): boolean {
	return known.some(([from, to]) => from <= start && end <= to);
}
