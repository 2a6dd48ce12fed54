import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addBlocker } from './dependencies';
import { RefineryError, getItems, getRankLog, getRounds } from './doc';
import { DECKS } from './poker/decks';
import { acceptEstimate, revealRound, revote, startRound } from './poker/rounds';
import { castVote } from './poker/votes';
import { addCriterion, criterionText, editCriterionText, moveCriterion, readCriteria, removeCriterion, setCriterionDone } from './criteria';
import { setEstimate } from './estimates';
import { exportRoom } from './exportJson';
import { backlogTree, childIds, type TreeNode } from './hierarchy';
import { F, itemCriteria, itemText, ITEM_STATUSES, type TextField } from './item';
import { createItem, deleteItems, editItemText, restoreItems, setStatus } from './items';
import { addLabel, removeLabel } from './labels';
import { moveItems, orderedIds, repairRanks, type MoveTarget } from './order';
import { setReadyCheck } from './ready';
import { loggedRanks } from './rankLog';
import { migrate } from './schema';
import { splitItem } from './split';
import { PeerGroup, type Peer } from './testing/peers';
import { v1Room } from './testing/v1Room';

/**
 * Convergence: 2–5 peers apply random sequences of every kind of operation, some
 * of them offline for a while, and exchange updates in random orders. At the end
 * all must hold the same room, every live item exactly once in the order and the
 * tree, no typed text lost or doubled, and parent/child links consistent.
 */

const OPS = [
	'create', 'create', 'move', 'move', 'moveMany', 'editTitle', 'editDescription', 'deleteText',
	'addCriterion', 'editCriterion', 'tickCriterion', 'moveCriterion', 'removeCriterion',
	'split', 'delete', 'restore', 'estimate', 'label', 'unlabel', 'status', 'block', 'ready',
	'repair', 'startRound', 'vote', 'vote', 'reveal', 'revote', 'accept',
	'deliver', 'deliver', 'deliver', 'offline', 'online', 'undoMove'
] as const;
type OpKind = (typeof OPS)[number] | 'migrate';

interface Op {
	peer: number;
	kind: OpKind;
	a: number;
	b: number;
	c: number;
}

const opArb = fc.record({
	peer: fc.nat(4),
	kind: fc.constantFrom(...OPS),
	a: fc.nat(1000),
	b: fc.nat(1000),
	c: fc.nat(1000)
});

/** Markers are unique tokens typed into texts, so a lost or doubled keystroke shows. */
interface Ledger {
	typed: Set<string>;
	deleted: Set<string>;
	counter: number;
}

const MARKER = /⟦\d+⟧/g;

function pick<T>(list: readonly T[], n: number): T | undefined {
	return list.length ? list[n % list.length] : undefined;
}

function allIds(doc: Y.Doc): string[] {
	return [...getItems(doc).keys()].sort();
}

function typeInto(text: Y.Text, at: number, ledger: Ledger): { index: number; remove: number; insert: string } {
	const marker = `⟦${ledger.counter++}⟧`;
	ledger.typed.add(marker);
	const value = text.toString();
	let index = at % (value.length + 1);
	// Typing inside another marker would break it in two; type just after it instead.
	for (const m of value.matchAll(MARKER)) if (m.index < index && index < m.index + m[0].length) index = m.index + m[0].length;
	return { index, remove: 0, insert: marker };
}

/** Markers wholly inside a range a person deletes are deleted on purpose. */
function deletion(text: Y.Text, a: number, b: number, ledger: Ledger) {
	const value = text.toString();
	const index = a % (value.length + 1);
	const remove = Math.min(b % 12, value.length - index);
	for (const m of value.slice(index, index + remove).match(MARKER) ?? []) ledger.deleted.add(m);
	// Cutting a marker in half counts as deleting it too.
	for (const m of value.match(MARKER) ?? []) {
		const at = value.indexOf(m);
		if (at < index + remove && at + m.length > index) ledger.deleted.add(m);
	}
	return { index, remove, insert: '' };
}

function apply(group: PeerGroup, op: Op, ledger: Ledger, serial: { n: number }): void {
	const peer = group.peers[op.peer % group.peers.length];
	const { doc, origin } = peer;
	const live = orderedIds(doc);
	const every = allIds(doc);
	const target = pick(live, op.a);
	const other = pick(live, op.b);
	const textField: TextField = op.c % 2 ? 'title' : 'description';
	switch (op.kind) {
		case 'create': {
			const id = `i${peer.index}-${serial.n++}`;
			createItem(doc, { id, title: `Item ${id}`, now: 1, by: origin.userId }, origin);
			if (op.a % 2 && other) moveItems(doc, [id], { before: other }, origin);
			return;
		}
		case 'move':
			if (!target) return;
			return moveItems(doc, [target], moveTarget(op, other, target), origin);
		case 'moveMany': {
			const chosen = [...new Set([pick(live, op.a), pick(live, op.a + 1), pick(live, op.c)])].filter((x): x is string => !!x);
			const anchor = live.find((id) => !chosen.includes(id) && live.indexOf(id) === op.b % live.length);
			if (!chosen.length) return;
			return moveItems(doc, chosen, moveTarget(op, anchor, chosen[0]), origin);
		}
		case 'editTitle':
		case 'editDescription': {
			const id = pick(every, op.a);
			if (!id) return;
			const field: TextField = op.kind === 'editTitle' ? 'title' : 'description';
			return editItemText(doc, id, field, typeInto(itemText(getItems(doc).get(id)!, field), op.b, ledger), origin);
		}
		case 'deleteText': {
			const id = pick(every, op.a);
			if (!id) return;
			const text = itemText(getItems(doc).get(id)!, textField);
			return editItemText(doc, id, textField, deletion(text, op.b, op.c, ledger), origin);
		}
		case 'addCriterion': {
			if (!target) return;
			const marker = `⟦${ledger.counter++}⟧`;
			ledger.typed.add(marker);
			addCriterion(doc, target, `Given ${marker}`, origin, `c${peer.index}-${serial.n++}`);
			return;
		}
		case 'editCriterion':
		case 'tickCriterion':
		case 'moveCriterion':
		case 'removeCriterion': {
			const id = pick(every, op.a);
			if (!id) return;
			const criterion = pick(readCriteria(getItems(doc).get(id)!), op.b);
			if (!criterion) return;
			if (op.kind === 'editCriterion') {
				const text = criterionText(doc, id, criterion.id);
				return editCriterionText(doc, id, criterion.id, typeInto(text, op.c, ledger), origin);
			}
			if (op.kind === 'tickCriterion') return setCriterionDone(doc, id, criterion.id, op.c % 2 === 0, origin);
			if (op.kind === 'moveCriterion') return moveCriterion(doc, id, criterion.id, op.c % 5, origin);
			return removeCriterion(doc, id, criterion.id, origin, 2);
		}
		case 'split': {
			if (!target) return;
			const criteria = readCriteria(getItems(doc).get(target)!).map((c) => c.id);
			const count = 1 + (op.b % 3);
			splitItem(
				doc,
				target,
				Array.from({ length: count }, (_, k) => ({
					id: `s${peer.index}-${serial.n++}`,
					title: `Part ${k + 1}`,
					criteria: criteria.filter((_, j) => j % count === k && (op.c + j) % 2 === 0)
				})),
				origin
			);
			return;
		}
		case 'delete':
			if (!target) return;
			return deleteItems(doc, [target], origin, 3);
		case 'restore': {
			const trashed = every.filter((id) => getItems(doc).get(id)!.get(F.deletedAt) != null);
			const id = pick(trashed, op.a);
			if (id) restoreItems(doc, [id], origin);
			return;
		}
		case 'estimate':
			if (target) setEstimate(doc, target, String(1 + (op.b % 13)), origin);
			return;
		case 'label':
			if (target) addLabel(doc, [target], `label-${op.b % 4}`, origin);
			return;
		case 'unlabel':
			if (target) removeLabel(doc, [target], `label-${op.b % 4}`, origin);
			return;
		case 'status':
			if (target) setStatus(doc, target, ITEM_STATUSES[op.b % ITEM_STATUSES.length], origin);
			return;
		case 'block':
			if (target && other && target !== other) addBlocker(doc, target, other, origin);
			return;
		case 'ready':
			if (target) setReadyCheck(doc, target, 'criteria', op.b % 2 === 0, origin);
			return;
		case 'startRound':
			if (target) startRound(doc, { itemId: target, deck: DECKS.fibonacci, by: origin.userId, id: `r${peer.index}-${serial.n++}`, now: 5 }, origin);
			return;
		case 'vote':
		case 'reveal':
		case 'revote':
		case 'accept': {
			const round = pick([...getRounds(doc).keys()].sort(), op.a);
			if (!round) return;
			if (op.kind === 'vote') return castVote(doc, round, origin.userId, DECKS.fibonacci.cards[op.b % 8], origin, 6);
			if (op.kind === 'reveal') return revealRound(doc, round, origin, 7);
			if (op.kind === 'revote') return void revote(doc, round, { by: origin.userId, id: `r${peer.index}-${serial.n++}`, now: 8 }, origin);
			return acceptEstimate(doc, round, DECKS.fibonacci.cards[op.b % 8], origin);
		}
		case 'repair':
			repairRanks(doc, origin);
			return;
		case 'undoMove':
			// Undo restores a deleted rank entry at its old place in the log, racing others' moves.
			return void rankUndo(peer).undo();
		case 'migrate':
			return void migrate(doc, origin);
		case 'deliver':
			return group.deliver(peer, op.b);
		case 'offline':
			peer.online = false;
			return;
		case 'online':
			peer.online = true;
			return;
	}
}

/** Each peer's undo of its own rank writes (moves, repairs), so undo never touches typed text. */
const rankUndos = new WeakMap<Peer, Y.UndoManager>();
function rankUndo(peer: Peer): Y.UndoManager {
	let undo = rankUndos.get(peer);
	if (!undo) rankUndos.set(peer, (undo = new Y.UndoManager(getRankLog(peer.doc), { trackedOrigins: new Set([peer.origin]), captureTimeout: 0 })));
	return undo;
}

function moveTarget(op: Op, anchor: string | undefined, self: string): MoveTarget {
	const where = op.c % 4;
	if (where === 0 || !anchor || anchor === self) return where % 2 ? 'bottom' : 'top';
	return where === 1 ? { before: anchor } : where === 2 ? { after: anchor } : 'bottom';
}

function flatten(nodes: TreeNode[], out: string[] = []): string[] {
	for (const node of nodes) {
		out.push(node.id);
		flatten(node.children, out);
	}
	return out;
}

function allTexts(doc: Y.Doc): string {
	const parts: string[] = [];
	for (const item of getItems(doc).values()) {
		parts.push(itemText(item, 'title').toString(), itemText(item, 'description').toString());
		for (const c of itemCriteria(item)) parts.push((c.get('text') as Y.Text).toString());
	}
	return parts.join('\n');
}

function checkInvariants(group: PeerGroup, ledger: Ledger): void {
	const [first, ...rest] = group.peers;
	const expected = { ...exportRoom(first.doc, new Date(0)) };
	for (const peer of rest) {
		expect(exportRoom(peer.doc, new Date(0))).toEqual(expected);
		expect(Y.encodeStateVector(peer.doc)).toEqual(Y.encodeStateVector(first.doc));
		// The rank log itself, entry for entry: concurrent moves of one item have one winner everywhere.
		expect(getRankLog(peer.doc).toJSON()).toEqual(getRankLog(first.doc).toJSON());
		expect([...loggedRanks(peer.doc)].sort()).toEqual([...loggedRanks(first.doc)].sort());
	}
	const doc = first.doc;
	const items = getItems(doc);
	const order = orderedIds(doc);
	const live = [...items.entries()].filter(([, item]) => item.get(F.deletedAt) == null).map(([id]) => id);
	// Every live item exactly once in the order and in the tree.
	expect(new Set(order).size).toBe(order.length);
	expect([...order].sort()).toEqual(live.sort());
	const tree = flatten(backlogTree(doc));
	expect([...tree].sort()).toEqual([...order].sort());
	// Parent links point at existing items, never at themselves, and never loop.
	for (const [id, item] of items) {
		const parent = item.get(F.parent) ?? null;
		if (parent === null) continue;
		expect(typeof parent).toBe('string');
		expect(items.has(parent as string)).toBe(true);
		expect(parent).not.toBe(id);
		const seen = new Set<string>();
		for (let at: unknown = id; typeof at === 'string'; at = items.get(at)?.get(F.parent)) {
			expect(seen.has(at)).toBe(false);
			seen.add(at);
		}
		expect(childIds(doc, parent as string, true)).toContain(id);
	}
	// No typed text lost or doubled: each marker not deliberately deleted is there once,
	// except that a split copies criteria into children (so a marker may be there twice).
	const texts = allTexts(doc);
	for (const marker of ledger.typed) {
		if (ledger.deleted.has(marker)) continue;
		expect(texts.includes(marker), `marker ${marker} lost`).toBe(true);
	}
	for (const [, item] of items) {
		const title = itemText(item, 'title').toString() + itemText(item, 'description').toString();
		const seen = title.match(MARKER) ?? [];
		expect(new Set(seen).size, 'a typed marker doubled').toBe(seen.length);
	}
}

/**
 * Entries left in the rank log by concurrent moves lose, and go with the item's next move:
 * after one more move of each such item, every item has at most one live entry.
 */
function checkRankLogCleanup(group: PeerGroup, settleSeed: number): void {
	const peer = group.peers[0];
	const count = new Map<string, number>();
	for (const [id] of getRankLog(peer.doc)) count.set(id, (count.get(id) ?? 0) + 1);
	const crowded = [...count].filter(([id, n]) => n > 1 && getItems(peer.doc).has(id)).map(([id]) => id);
	if (crowded.length === 0) return;
	moveItems(peer.doc, crowded, 'bottom', peer.origin);
	group.settle(settleSeed);
	for (const other of group.peers) {
		const ids = getRankLog(other.doc).toArray().map(([id]) => id);
		for (const id of crowded) expect(ids.filter((x) => x === id)).toHaveLength(1);
		const live = crowded.filter((id) => getItems(other.doc).get(id)!.get(F.deletedAt) == null);
		const order = orderedIds(other.doc);
		expect(order.slice(order.length - live.length).sort()).toEqual(live.sort());
	}
}

function scenario(peerCount: number, ops: Op[], settleSeed: number, start: 'current' | 'schema1' = 'current'): void {
	const seed = new Y.Doc();
	seed.clientID = 99;
	const setup = { kind: 'system' as const, reason: 'test' };
	const seedIds = Array.from({ length: 4 }, (_, i) => `seed-${i}`);
	if (start === 'schema1') v1Room(seedIds, seed);
	else for (const [i, id] of seedIds.entries()) createItem(seed, { id, title: `Seed ${i}`, now: 0 }, setup);
	addCriterion(seed, 'seed-0', 'Given a seed', setup, 'seed-c0');
	const group = new PeerGroup(peerCount, Y.encodeStateAsUpdate(seed));
	const ledger: Ledger = { typed: new Set(), deleted: new Set(), counter: 0 };
	const serial = { n: 0 };
	for (const op of ops) {
		try {
			apply(group, op, ledger, serial);
		} catch (error) {
			// A refused operation (e.g. a link that would close a cycle) is fine; a crash is not.
			if (!(error instanceof RefineryError)) throw error;
		}
	}
	group.settle(settleSeed);
	if (start === 'schema1') {
		// Everyone updates in the end: the room must come out the same whoever migrated when.
		for (const peer of group.peers) migrate(peer.doc, peer.origin);
		group.settle(settleSeed);
	}
	checkInvariants(group, ledger);
	checkRankLogCleanup(group, settleSeed);
}

const scenarioArb = fc.tuple(fc.integer({ min: 2, max: 5 }), fc.array(opArb, { minLength: 5, maxLength: 60 }), fc.nat());

/** More runs on demand: CONVERGENCE_RUNS=20000 npx vitest run shared/convergence.test.ts */
const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 1500);

describe('convergence of random concurrent edits', () => {
	it(`holds for ${RUNS} mixed scenarios`, () => {
		fc.assert(fc.property(scenarioArb, ([peers, ops, seed]) => scenario(peers, ops, seed)), { numRuns: RUNS });
	}, 30_000 + RUNS * 10);

	it('holds for scenarios of concurrent moves only', () => {
		const moves = fc.array(
			fc.record({ peer: fc.nat(4), kind: fc.constantFrom<OpKind>('move', 'moveMany', 'create', 'deliver', 'offline', 'online'), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) }),
			{ minLength: 10, maxLength: 80 }
		);
		fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), moves, fc.nat(), (p, ops, seed) => scenario(p, ops, seed)), { numRuns: Math.ceil(RUNS / 5) });
	}, 30_000 + RUNS * 5);

	it('holds for scenarios of concurrent splits, deletes and restores', () => {
		const ops = fc.array(
			fc.record({ peer: fc.nat(4), kind: fc.constantFrom<OpKind>('split', 'delete', 'restore', 'addCriterion', 'editCriterion', 'move', 'estimate', 'deliver', 'offline', 'online'), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) }),
			{ minLength: 10, maxLength: 60 }
		);
		fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), ops, fc.nat(), (p, o, seed) => scenario(p, o, seed)), { numRuns: Math.ceil(RUNS / 5) });
	}, 30_000 + RUNS * 5);

	it('holds for concurrent moves of the same few items, with undo of moves', () => {
		// Few items and many moves: most moves race another move of the same item.
		const ops = fc.array(
			fc.record({ peer: fc.nat(4), kind: fc.constantFrom<OpKind>('move', 'move', 'moveMany', 'undoMove', 'repair', 'deliver', 'deliver', 'offline', 'online'), a: fc.nat(3), b: fc.nat(1000), c: fc.nat(1000) }),
			{ minLength: 10, maxLength: 80 }
		);
		fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), ops, fc.nat(), (p, o, seed) => scenario(p, o, seed)), { numRuns: Math.ceil(RUNS / 5) });
	}, 30_000 + RUNS * 5);

	it('holds for a schema-1 room that peers migrate at random times while editing', () => {
		const kinds = [...OPS.filter((k) => k !== 'undoMove'), 'migrate', 'migrate'] as OpKind[];
		const ops = fc.array(fc.record({ peer: fc.nat(4), kind: fc.constantFrom(...kinds), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) }), { minLength: 5, maxLength: 60 });
		fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), ops, fc.nat(), (p, o, seed) => scenario(p, o, seed, 'schema1')), { numRuns: Math.ceil(RUNS / 5) });
	}, 30_000 + RUNS * 5);
});

describe('pinned failing seeds', () => {
	// Found a harness bug: a marker typed inside another broke both. Kept so it stays fixed.
	it('seed 1040445194: typing into a criterion, then splitting its item again and again, loses nothing', () => {
		const ops: Op[] = [{"peer":0,"kind":"addCriterion","a":239,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"delete","a":0,"b":0,"c":0},{"peer":0,"kind":"online","a":0,"b":0,"c":0},{"peer":0,"kind":"editCriterion","a":984,"b":0,"c":187},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0},{"peer":0,"kind":"split","a":0,"b":0,"c":0}];
		scenario(2, ops, 0);
	});
});
