import * as Y from 'yjs';
import { getItems, getRankLog } from '$shared/doc';

// Yjs types each root with its own event type; walking parents mixes them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

/**
 * What a local change touched, in the words a person would use: `item:<id>` for each item it
 * changed (its texts, criteria, fields, its rank in the rank log), `<root>:<key>` for each
 * room-level thing (`meta:name`, `meta:deck`, `rounds:<roundId>`). Twenty keystrokes in one
 * description are twenty updates but one changed item.
 *
 * Read off the transaction: the types it changed (walked up to the item or root key they sit
 * under), and for the rank log, which holds `[itemId, rank]` entries, the entries it appended.
 */
export function transactionSubjects(transaction: Y.Transaction): string[] {
	const doc = transaction.doc;
	const items = getItems(doc) as AnyType;
	const ranks = getRankLog(doc) as AnyType;
	const rootNames = new Map<AnyType, string>();
	for (const [name, type] of doc.share) rootNames.set(type, name);
	const subjects = new Set<string>();

	for (const [type, keys] of transaction.changed) {
		if (type === ranks) continue;
		// Climb to the root, remembering the key under which the last step sat.
		let at: AnyType = type;
		let key: string | null = null;
		while (at._item) {
			key = at._item.parentSub;
			at = at._item.parent as AnyType;
		}
		const root = at === items ? 'item' : (rootNames.get(at) ?? 'room');
		if (key !== null) subjects.add(`${root}:${key}`);
		else for (const changed of keys) subjects.add(changed === null ? root : `${root}:${changed}`);
	}

	if (transaction.changed.has(ranks)) {
		for (const [client, after] of transaction.afterState) {
			const before = transaction.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			const structs = doc.store.clients.get(client) ?? [];
			// Appends by one person merge into one struct: read only the entries of this transaction's clocks.
			for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
				const struct = structs[i];
				if (!(struct instanceof Y.Item) || struct.parent !== ranks || !(struct.content instanceof Y.ContentAny)) continue;
				struct.content.arr.forEach((entry, k) => {
					const clock = struct.id.clock + k;
					if (clock >= before && clock < after && Array.isArray(entry) && typeof entry[0] === 'string') subjects.add(`item:${entry[0]}`);
				});
			}
		}
	}
	return [...subjects];
}
