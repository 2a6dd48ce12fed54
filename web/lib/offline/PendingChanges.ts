import { changeKey, type ChangeFacts } from './changeFacts';
import type { RelayCoverage } from './RelayCoverage';

/**
 * The local changes the relay has not confirmed yet, oldest first. A change leaves the list
 * when the relay's known state covers it (`settle`), never on a timer or on reconnecting.
 *
 * Two figures: `updates`, the exact number of unconfirmed updates (one per keystroke while
 * typing), and `count`, what a person would call changes: the items changed plus the room-level
 * things changed (name, deck, a poker round), each once however many updates touched it.
 */
export class PendingChanges {
	#list: ChangeFacts[] = [];

	constructor(restored: ChangeFacts[] = []) {
		this.#list = dedupe(restored);
	}

	/** Changed items and room-level things, each once. */
	get count(): number {
		return countSubjects(this.#list);
	}

	/** Unconfirmed updates, exactly (for the details). */
	get updates(): number {
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

/**
 * How many things a list of changes touched, each once. A change stored by an older version
 * (no subjects) counts as one of its own.
 */
export function countSubjects(changes: readonly ChangeFacts[]): number {
	const subjects = new Set<string>();
	let extra = 0;
	for (const change of changes) {
		if (!change.subjects?.length) extra++;
		else for (const subject of change.subjects) subjects.add(subject);
		extra += change.more ?? 0;
	}
	return subjects.size + extra;
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
