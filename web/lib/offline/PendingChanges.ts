import { changeKey, type ChangeFacts } from './changeFacts';
import type { RelayCoverage } from './RelayCoverage';

/**
 * The local changes the relay has not confirmed yet, oldest first. A change leaves the list
 * when the relay's known state covers it (`settle`), never on a timer or on reconnecting.
 */
export class PendingChanges {
	#list: ChangeFacts[] = [];

	constructor(restored: ChangeFacts[] = []) {
		this.#list = dedupe(restored);
	}

	get count(): number {
		return this.#list.length;
	}

	/** True when some pending change deletes something (the relay's deletions must be learnt). */
	get waitsForDeletes(): boolean {
		return this.#list.some((change) => change.deletes.length > 0);
	}

	add(change: ChangeFacts): void {
		if (change.ends.length === 0 && change.deletes.length === 0) return;
		this.#list.push(change);
	}

	/** Drop the changes the relay covers, and return them. */
	settle(coverage: RelayCoverage): ChangeFacts[] {
		const confirmed: ChangeFacts[] = [];
		this.#list = this.#list.filter((change) => {
			if (!coverage.covers(change)) return true;
			confirmed.push(change);
			return false;
		});
		return confirmed;
	}

	/** A copy, for storage. */
	list(): ChangeFacts[] {
		return [...this.#list];
	}
}

/** The list without doubles, in first-seen order. */
export function dedupe(changes: ChangeFacts[]): ChangeFacts[] {
	const seen = new Set<string>();
	return changes.filter((change) => {
		const key = changeKey(change);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
