import * as Y from 'yjs';
import { transactionSubjects } from './changeSubjects';

/** A half-open range of clocks `[start, end)` of one client's structs. */
export type ClockRange = [start: number, end: number];

/**
 * What one local change (one transaction's update) needs the relay to hold before it counts as
 * confirmed: its new structs (for each client, up to the end clock) and the structs it deleted.
 * Plain data, so a list of them can be kept in localStorage across reloads.
 */
export interface ChangeFacts {
	/** For each client that gained structs, the end clock (exclusive). */
	ends: [client: number, clock: number][];
	/** Deleted ranges per client. */
	deletes: [client: number, ranges: ClockRange[]][];
	/**
	 * What it changed as a person counts changes (`item:<id>`, `meta:name`; see
	 * `transactionSubjects`), at most MAX_SUBJECTS; missing in lists stored by older versions.
	 */
	subjects?: string[];
	/** How many subjects beyond MAX_SUBJECTS it changed (a large import), counted as distinct. */
	more?: number;
}

/** Subjects kept per change: the list lives in localStorage, and a 10,000-row import is one change. */
export const MAX_SUBJECTS = 200;

/** The end clock per client of the structs in an update (cheap: structs are not built). */
export function updateEnds(update: Uint8Array): Map<number, number> {
	return Y.parseUpdateMeta(update).to;
}

/** The ranges an update deletes, per client (decodes the whole update). */
export function updateDeletes(update: Uint8Array): Map<number, ClockRange[]> {
	const deletes = new Map<number, ClockRange[]>();
	for (const [client, items] of Y.decodeUpdate(update).ds.clients) {
		if (items.length > 0) deletes.set(client, items.map((item) => [item.clock, item.clock + item.len]));
	}
	return deletes;
}

/**
 * The facts of a local change, from its update.
 * @example doc.on('update', (update, origin) => isLocal(origin) && pending.add(changeFacts(update)))
 */
export function changeFacts(update: Uint8Array): ChangeFacts {
	return { ends: [...updateEnds(update)], deletes: [...updateDeletes(update)] };
}

/**
 * The same facts read off the transaction that made the update, without decoding it: an update
 * of a transaction holds exactly its new structs (from the state before to the state after) and
 * its delete set. A 10,000-item import then costs no second parse.
 */
export function transactionFacts(transaction: Y.Transaction): ChangeFacts {
	const subjects = transactionSubjects(transaction);
	const ends: [number, number][] = [];
	for (const [client, clock] of transaction.afterState) {
		if (clock > (transaction.beforeState.get(client) ?? 0)) ends.push([client, clock]);
	}
	const deletes: [number, ClockRange[]][] = [];
	for (const [client, items] of transaction.deleteSet.clients) {
		if (items.length > 0) deletes.push([client, items.map((item): ClockRange => [item.clock, item.clock + item.len])]);
	}
	const facts: ChangeFacts = { ends, deletes, subjects: subjects.slice(0, MAX_SUBJECTS) };
	if (subjects.length > MAX_SUBJECTS) facts.more = subjects.length - MAX_SUBJECTS;
	return facts;
}

/** A stable key for a change, to merge lists written by several tabs without doubles. */
export function changeKey(change: ChangeFacts): string {
	return JSON.stringify(change);
}

/** True for a value read back from storage that has the shape of `ChangeFacts`. */
export function isChangeFacts(value: unknown): value is ChangeFacts {
	if (typeof value !== 'object' || value === null) return false;
	const { ends, deletes, subjects, more } = value as Partial<ChangeFacts>;
	const isInt = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
	return (
		(subjects === undefined || (Array.isArray(subjects) && subjects.length <= MAX_SUBJECTS && subjects.every((s) => typeof s === 'string' && s.length <= 200))) &&
		(more === undefined || isInt(more)) &&
		Array.isArray(ends) &&
		ends.every((pair) => Array.isArray(pair) && pair.length === 2 && isInt(pair[0]) && isInt(pair[1])) &&
		Array.isArray(deletes) &&
		deletes.every(
			(entry) =>
				Array.isArray(entry) &&
				entry.length === 2 &&
				isInt(entry[0]) &&
				Array.isArray(entry[1]) &&
				entry[1].every((range) => Array.isArray(range) && range.length === 2 && isInt(range[0]) && isInt(range[1]) && range[0] < range[1])
		)
	);
}
