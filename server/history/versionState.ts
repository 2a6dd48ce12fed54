import { createHash } from 'node:crypto';
import * as Y from 'yjs';

/** What a version needs to know about a room's state, read without building a document. */
export interface StateFacts {
	/** Some struct or deletion depends on something the state does not hold: not a whole room. */
	pending: boolean;
	/**
	 * The same for two states holding the same structs and deletions however they were merged:
	 * the state vector and the normalised delete set (deletions do not move the state vector, so
	 * a wipe of every item would look like no change by the vector alone).
	 */
	fingerprint: string;
}

type Id = { client: number; clock: number };
const isId = (value: unknown): value is Id => value instanceof Y.ID;

/**
 * Check a merged update for missing dependencies and fingerprint it, in one linear pass over its
 * decoded structs (never integrating it into a Y.Doc, whose cost an attacker can shape).
 * Pending means: a client's structs do not start at clock 0 or leave a gap (a Skip), an item's
 * origin, right origin or parent lies past what the update holds, or a deletion does.
 */
export function inspectState(update: Uint8Array): StateFacts {
	const { structs, ds } = Y.decodeUpdate(update);
	const next = new Map<number, number>();
	let pending = false;
	for (const struct of structs) {
		const { client, clock } = struct.id;
		if (struct instanceof Y.Skip || (next.get(client) ?? 0) !== clock) pending = true;
		next.set(client, clock + struct.length);
	}
	const holds = (id: Id | null) => id === null || id.clock < (next.get(id.client) ?? 0);
	for (const struct of structs) {
		if (pending) break;
		if (struct instanceof Y.Item) {
			if (!holds(struct.origin) || !holds(struct.rightOrigin) || (isId(struct.parent) && !holds(struct.parent))) pending = true;
		}
	}
	const hash = createHash('sha256');
	for (const [client, clock] of [...next].sort((a, b) => a[0] - b[0])) hash.update(`s${client}:${clock};`);
	for (const [client, ranges] of [...ds.clients].sort((a, b) => a[0] - b[0])) {
		const sorted = [...ranges].sort((a, b) => a.clock - b.clock);
		let start = -1;
		let end = -1;
		const flush = () => start >= 0 && hash.update(`d${client}:${start}-${end};`);
		for (const { clock, len } of sorted) {
			if (clock + len > (next.get(client) ?? 0)) pending = true;
			if (clock <= end) end = Math.max(end, clock + len);
			else {
				flush();
				start = clock;
				end = clock + len;
			}
		}
		flush();
	}
	return { pending, fingerprint: hash.digest('base64url') };
}
