import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCriterion, removeCriterion, setCriterionDone, setCriterionText } from '../criteria';
import { addBlocker } from '../dependencies';
import { getItems, requireItem } from '../doc';
import { setEstimate } from '../estimates';
import { createItem, deleteItems, restoreItems, setItemText, setKind, setStatus } from '../items';
import { addLabel, removeLabel } from '../labels';
import { moveItem, orderedIds } from '../order';
import { localOrigin } from '../origins';
import { setReadyCheck } from '../ready';
import { splitItem } from '../split';
import { changesBetween, countChanges, type Change } from './changes';
import { LiveRoomState } from './LiveRoomState';
import { decodeRoomState, encodeRoomState } from './plainState';
import { readRoomState } from './roomState';

const me = localOrigin('me');

/** Items i0..i(n-1), each with one criterion c<i> and the label "old"; the last `trashed` in the trash. */
function room(n: number, trashed = 0): Y.Doc {
	const doc = new Y.Doc();
	for (let i = 0; i < n; i++) {
		createItem(doc, { id: `i${i}`, title: `Item ${i}`, description: `About ${i}`, labels: ['old'], now: 1 }, me);
		addCriterion(doc, `i${i}`, `Criterion ${i}`, me, `c${i}`);
	}
	if (trashed) deleteItems(doc, Array.from({ length: trashed }, (_, k) => `i${n - 1 - k}`), me, 2);
	return doc;
}

/** Copy a document as a version would be: its whole state. */
const snapshot = (doc: Y.Doc) => {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
};

/** As the app compares: the version through the plain state the relay serves, the open room read directly. */
const changesOf = (before: Y.Doc, after: Y.Doc) => changesBetween(decodeRoomState(JSON.parse(encodeRoomState(readRoomState(before)))), readRoomState(after));
const describeChange = (c: Change) => ('field' in c ? `${c.type}:${c.field}` : c.type === 'criterion' ? `criterion:${c.change}` : c.type);

/** The edits the property test makes, each on its own item, and the change each must show as. */
const EDITS: Record<string, { expect: string; live?: boolean; apply: (doc: Y.Doc, id: string, n: number) => void }> = {
	title: { expect: 'text:title', apply: (doc, id) => setItemText(doc, id, 'title', `Renamed ${id}`, me) },
	description: { expect: 'text:description', apply: (doc, id) => setItemText(doc, id, 'description', `Rewritten ${id}`, me) },
	kind: { expect: 'value:kind', apply: (doc, id) => setKind(doc, id, 'bug', me) },
	status: { expect: 'value:status', apply: (doc, id) => setStatus(doc, id, 'ready', me) },
	estimate: { expect: 'value:estimate', apply: (doc, id) => setEstimate(doc, id, '5', me) },
	label: { expect: 'set:labels', apply: (doc, id) => addLabel(doc, [id], 'new', me) },
	unlabel: { expect: 'set:labels', apply: (doc, id) => removeLabel(doc, [id], 'old', me) },
	ready: { expect: 'set:ready', apply: (doc, id) => setReadyCheck(doc, id, 'small', true, me) },
	blocker: { expect: 'set:blockedBy', apply: (doc, id) => addBlocker(doc, id, id === 'i0' ? 'i1' : 'i0', me) },
	addCriterion: { expect: 'criterion:added', apply: (doc, id) => void addCriterion(doc, id, 'Another', me, `n-${id}`) },
	editCriterion: { expect: 'criterion:edited', apply: (doc, id) => setCriterionText(doc, id, `c${id.slice(1)}`, 'Changed', me) },
	tick: { expect: 'criterion:done', apply: (doc, id) => setCriterionDone(doc, id, `c${id.slice(1)}`, true, me) },
	removeCriterion: { expect: 'criterion:removed', apply: (doc, id) => removeCriterion(doc, id, `c${id.slice(1)}`, me) },
	delete: { expect: 'deleted', apply: (doc, id) => deleteItems(doc, [id], me) },
	split: { expect: 'split', apply: (doc, id) => void splitItem(doc, id, [{ title: 'Part', id: `s-${id}`, criteria: [`c${id.slice(1)}`] }], me) },
	restore: { expect: 'restored', live: false, apply: (doc, id) => restoreItems(doc, [id], me) }
};
const LIVE_EDITS = Object.keys(EDITS).filter((name) => EDITS[name].live !== false);

describe('changesBetween', () => {
	it('reports nothing between two equal states', () => {
		const doc = room(5, 1);
		expect(changesOf(doc, snapshot(doc))).toEqual([]);
	});

	it('accounts for each random edit exactly once (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 4, max: 12 }),
				fc.array(fc.constantFrom(...LIVE_EDITS), { maxLength: 8 }),
				fc.integer({ min: 0, max: 3 }),
				fc.integer({ min: 0, max: 3 }),
				(n, edits, restores, adds) => {
					const trashed = Math.min(restores, 2);
					const doc = room(n + trashed, trashed);
					const before = snapshot(doc);
					// The open room's state, kept from the document's events, must read as a fresh read does.
					const live = new LiveRoomState(doc);
					live.read();
					// Edits go to the first items (i0 keeps an id for blockers only when it is not edited itself).
					const count = Math.min(edits.length, n - 2);
					const expected: string[] = [];
					for (let k = 0; k < count; k++) {
						const id = `i${k + 2}`;
						EDITS[edits[k]].apply(doc, id, n);
						expected.push(`${id} ${EDITS[edits[k]].expect}`);
					}
					for (let k = 0; k < trashed; k++) {
						const id = `i${n + trashed - 1 - k}`;
						EDITS.restore.apply(doc, id, n);
						expected.push(`${id} restored`);
					}
					for (let k = 0; k < adds; k++) {
						createItem(doc, { id: `a${k}`, title: `Added ${k}` }, me);
						expected.push(`a${k} added`);
					}
					// An item added and trashed between the two states is no change.
					createItem(doc, { id: 'gone', title: 'Short-lived' }, me);
					deleteItems(doc, ['gone'], me);
					expect(live.read()).toEqual(readRoomState(doc));
					live.destroy();
					const reported = changesOf(before, doc).flatMap((item) => item.changes.map((c) => `${item.id} ${describeChange(c)}`));
					// A split child ranks after its parent, which moves no item that was there before.
					expect(reported.sort()).toEqual(expected.sort());
				}
			),
			{ numRuns: 150 }
		);
	});

	it('reports the fewest moves that explain a new order (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 2, max: 15 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }), (n, moves) => {
				const doc = room(n);
				const before = snapshot(doc);
				const live = new LiveRoomState(doc);
				live.read();
				const movedIds = new Set<string>();
				for (const [from, to] of moves) {
					const order = orderedIds(doc);
					const id = order[from % n];
					const target = order[to % n];
					if (id === target) continue;
					moveItem(doc, id, { before: target }, me);
					movedIds.add(id);
				}
				expect(live.read()).toEqual(readRoomState(doc));
				live.destroy();
				const changes = changesOf(before, doc);
				const moved = new Map(changes.map((item) => [item.id, item.changes.find((c) => c.type === 'moved')]));
				const reported = [...moved].filter(([, c]) => c).map(([id]) => id);
				expect(countChanges(changes)).toBe(reported.length);
				expect(reported.length).toBeLessThanOrEqual(movedIds.size);
				// Without the reported items, the rest kept its order.
				const rest = (ids: string[]) => ids.filter((id) => !reported.includes(id));
				expect(rest(orderedIds(doc))).toEqual(rest(orderedIds(before)));
				// Each reported distance is where the item is now minus where it was, among the rest too.
				for (const id of reported) {
					const c = moved.get(id) as { places: number };
					expect(orderedIds(doc).indexOf(id) - orderedIds(before).indexOf(id)).toBe(c.places);
				}
			}),
			{ numRuns: 200 }
		);
	});

	it('says how many places an item moved and where it went', () => {
		const doc = room(6);
		const before = snapshot(doc);
		moveItem(doc, 'i0', { before: 'i4' }, me);
		expect(changesOf(before, doc)).toEqual([{ id: 'i0', title: 'Item 0', changes: [{ type: 'moved', places: 3 }] }]);
	});

	it('gives the texts before and after an edit, and a split with its children and criteria', () => {
		const doc = room(3);
		const before = snapshot(doc);
		setItemText(doc, 'i0', 'title', 'Login with SSO', me);
		splitItem(doc, 'i1', [{ title: 'Backend', id: 'k1', criteria: ['c1'] }, { title: 'UI', id: 'k2' }], me);
		expect(changesOf(before, doc)).toEqual([
			{ id: 'i0', title: 'Login with SSO', changes: [{ type: 'text', field: 'title', before: 'Item 0', after: 'Login with SSO' }] },
			{ id: 'i1', title: 'Item 1', changes: [{ type: 'split', children: [{ id: 'k1', title: 'Backend' }, { id: 'k2', title: 'UI' }], criteria: ['c1'] }] }
		]);
	});

	it('reports items gone from the room altogether, trash included', () => {
		const doc = room(3, 1);
		const before = snapshot(doc);
		doc.transact(() => {
			for (const id of [...getItems(doc).keys()]) getItems(doc).delete(id);
		});
		expect(changesOf(before, doc).map((item) => `${item.id} ${item.changes.map(describeChange)}`)).toEqual(['i0 removed', 'i1 removed', 'i2 removed']);
	});

	it('reads malformed fields from a hostile peer without throwing', () => {
		const doc = room(2);
		const before = snapshot(doc);
		doc.transact(() => {
			const item = requireItem(doc, 'i0');
			item.set('title', 42 as never);
			item.set('criteria', 'nope' as never);
			item.set('estimate', { x: 1 } as never);
		});
		const changes = changesOf(before, doc);
		expect(changes[0].changes.map(describeChange)).toEqual(['text:title', 'criterion:removed']);
	});
});
