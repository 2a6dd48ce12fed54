import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addCriterion } from '$shared/criteria';
import { createItem, deleteItems, editItemText, setStatus } from '$shared/items';
import { moveItem, orderedIds } from '$shared/order';
import { localOrigin } from '$shared/origins';
import { changeFacts, transactionFacts, type ChangeFacts } from './changeFacts';

const me = localOrigin('me');

/** Order-free form, to compare facts from two sources. */
function normal(facts: ChangeFacts): string {
	const ends = [...facts.ends].sort((a, b) => a[0] - b[0]);
	const deletes = [...facts.deletes].map(([client, ranges]) => [client, [...ranges].sort((a, b) => a[0] - b[0])]).sort((a, b) => (a[0] as number) - (b[0] as number));
	return JSON.stringify({ ends, deletes });
}

describe('transactionFacts', () => {
	test('reads the same facts off the transaction as changeFacts decodes from its update', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
				const doc = new Y.Doc();
				doc.clientID = seed;
				const other = new Y.Doc();
				other.clientID = seed + 1;
				createItem(other, { title: 'From someone else' }, localOrigin('other'));
				Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
				createItem(doc, { title: 'Mine' }, me);
				let checked = 0;
				doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
					expect(normal(transactionFacts(transaction))).toBe(normal(changeFacts(update)));
					checked++;
				});
				for (const op of ops) {
					const ids = orderedIds(doc);
					const id = ids[op % ids.length];
					if (op === 0) createItem(doc, { title: `New ${checked}` }, me);
					else if (op === 1) editItemText(doc, id, 'title', { index: 0, remove: 1, insert: 'x' }, me);
					else if (op === 2 && ids.length > 1) deleteItems(doc, [id], me);
					else if (op === 3) moveItem(doc, id, 'top', me);
					else if (op === 4) {
						addCriterion(doc, id, 'Works', me);
						setStatus(doc, id, 'ready', me);
					}
				}
				expect(checked).toBeGreaterThan(0);
			}),
			{ numRuns: 100 }
		);
	});
});
