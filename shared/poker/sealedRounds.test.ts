import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { requireItem } from '../doc';
import { readEstimate } from '../estimates';
import { createItem } from '../items';
import { localOrigin } from '../origins';
import { PeerGroup } from '../testing/peers';
import { customDeck, DECKS } from './decks';
import { RoundStateError } from './errors';
import { alice, bob, docWithItems, peerOf, sync } from './fixtures';
import { getRound } from './history';
import { nextKeyStep } from './keySteps';
import { openRound } from './opened';
import { acceptEstimate, revealRound, startRound, startRounds } from './rounds';
import { sealCard, type Sealed } from './seal';
import { presentRound, tableRoundId } from './table';
import { setSetting } from '../meta';
import { castSealedVote, publishVoteKey } from './votes';

const DECK = customDeck('Animals', ['QUOKKA', 'WOMBAT', 'NUMBAT', 'DINGO']);
/** How often `text` occurs in raw bytes (as UTF-8). */
function occurrences(bytes: Uint8Array, text: string): number {
	const haystack = Buffer.from(bytes);
	const needle = Buffer.from(text, 'utf8');
	let count = 0;
	for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) count++;
	return count;
}

async function vote(doc: Y.Doc, roundId: string, voterId: string, card: string, origin = alice) {
	const { sealed, key } = await sealCard(card, { roundId, voterId });
	castSealedVote(doc, roundId, voterId, sealed, origin, { name: voterId.toUpperCase(), now: 5 });
	return key;
}

describe('sealed votes in a round', () => {
	it('keeps every card unreadable in the document until the reveal, then opens them with the published keys', async () => {
		const a = docWithItems('i1');
		startRound(a, { itemId: 'i1', deck: DECK, by: 'alice', id: 'r1', now: 1 }, alice);
		// The deck itself is in the document (the round's copy): a vote must add no occurrence of any card.
		const before = Y.encodeStateAsUpdate(a);
		expect(occurrences(before, 'QUOKKA')).toBe(1);
		const keyA = await vote(a, 'r1', 'alice', 'QUOKKA');
		const b = peerOf(a);
		const keyB = await vote(b, 'r1', 'bob', 'WOMBAT', bob);
		sync(a, b);
		for (const doc of [a, b]) {
			const bytes = Y.encodeStateAsUpdate(doc);
			for (const card of DECK.cards.filter((c) => c.length > 3)) expect(occurrences(bytes, card)).toBe(occurrences(before, card));
			expect(occurrences(bytes, 'kind')).toBe(occurrences(before, 'kind') + 2);
			expect(occurrences(bytes, 'sealed')).toBe(2);
			// Who voted is visible by design; what, not.
			expect(Object.keys(getRound(doc, 'r1')!.votes)).toEqual(['alice', 'bob']);
		}
		// No key can go out before the reveal.
		expect(() => publishVoteKey(a, 'r1', 'alice', keyA, alice)).toThrow(RoundStateError);
		revealRound(a, 'r1', alice);
		sync(a, b);
		const waiting = await openRound(getRound(b, 'r1')!);
		expect(waiting.votes.map((v) => v.state)).toEqual(['waiting', 'waiting']);
		expect(waiting.stats.count).toBe(0);
		publishVoteKey(a, 'r1', 'alice', keyA, alice);
		sync(a, b);
		const half = await openRound(getRound(b, 'r1')!);
		expect(half.votes.map((v) => [v.name, v.state])).toEqual([['ALICE', 'open'], ['BOB', 'waiting']]);
		expect(half.cards).toEqual(['QUOKKA']);
		publishVoteKey(b, 'r1', 'bob', keyB, bob);
		sync(a, b);
		for (const doc of [a, b]) {
			const opened = await openRound(getRound(doc, 'r1')!);
			expect(opened.cards).toEqual(['QUOKKA', 'WOMBAT']);
			expect(opened.stats.consensus).toBe(false);
		}
		acceptEstimate(b, 'r1', 'WOMBAT', bob);
		sync(a, b);
		expect(readEstimate(requireItem(a, 'i1')).value).toBe('WOMBAT');
	});

	it('reads a published key that does not match, or a card outside the deck, as invalid and does not count it', async () => {
		const doc = docWithItems('i1');
		startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id: 'r1' }, alice);
		await vote(doc, 'r1', 'alice', '5');
		const stranger = await vote(doc, 'r1', 'bob', 'XXL');
		await vote(doc, 'r1', 'cem', '8');
		revealRound(doc, 'r1', alice);
		publishVoteKey(doc, 'r1', 'alice', (await sealCard('13', { roundId: 'r1', voterId: 'alice' })).key, alice);
		publishVoteKey(doc, 'r1', 'bob', stranger, bob);
		const opened = await openRound(getRound(doc, 'r1')!);
		expect(opened.votes.map((v) => (v.state === 'invalid' ? v.reason : v.state))).toEqual(['commitment', 'not-in-deck', 'waiting']);
		expect(opened.stats.count).toBe(0);
	});

	it('refuses a sealed vote without a ciphertext or commitment, and a vote after the reveal', async () => {
		const doc = docWithItems('i1');
		startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id: 'r1' }, alice);
		expect(() => castSealedVote(doc, 'r1', 'alice', { ciphertext: '', commitment: 'x' }, alice)).toThrow(/ciphertext/);
		revealRound(doc, 'r1', alice);
		await expect(vote(doc, 'r1', 'alice', '5')).rejects.toThrow(RoundStateError);
	});

	it('puts a round on the table with the room timer counted from then, and records who revealed', () => {
		const doc = docWithItems('i1');
		startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id: 'r1', now: 1000 }, alice);
		presentRound(doc, 'r1', alice, 1500);
		expect(getRound(doc, 'r1')).toMatchObject({ timerEndsAt: null, revealedBy: null });
		expect(tableRoundId(doc)).toBe('r1');
		setSetting(doc, 'roundTimerSeconds', 30, alice);
		presentRound(doc, 'r1', alice, 1500);
		expect(getRound(doc, 'r1')!.timerEndsAt).toBe(31_500);
		revealRound(doc, 'r1', alice, 2000, 'auto');
		expect(getRound(doc, 'r1')).toMatchObject({ revealedBy: 'auto', revealedAt: 2000 });
	});
});

describe('a queue of rounds for pre-voting', () => {
	it('starts one round per item in one step, skipping deleted items and items with an open round', () => {
		const doc = docWithItems('i1', 'i2', 'i3');
		startRound(doc, { itemId: 'i2', deck: DECKS.fibonacci, by: 'alice', id: 'open' }, alice);
		let updates = 0;
		doc.on('update', () => updates++);
		const ids = startRounds(doc, ['i1', 'i2', 'i3', 'i1', 'missing'], { deck: DECKS.tshirt, by: 'alice' }, alice);
		expect(updates).toBe(1);
		expect(ids.map((id) => getRound(doc, id)!.itemId)).toEqual(['i1', 'i3']);
		expect(getRound(doc, ids[0])!.deck.id).toBe('tshirt');
	});
});

/**
 * Three voters, each on their own peer, vote (and change their votes) with sealed cards while
 * anyone may reveal, updates travel in random order and peers go offline. After the reveal each
 * voter publishes the key of the vote the revealer saw (kept by commitment on their device). In
 * the end every peer holds the same round and opens it to the same cards: the very cards the
 * voters sealed in the votes that count.
 */
describe('sealed rounds converge across peers', () => {
	const VOTERS = ['ann', 'ben', 'cem'];
	const CARDS = ['QUOKKA', 'WOMBAT', 'NUMBAT', '?'];
	const seals = new Map<string, { sealed: Sealed; key: string }[]>();
	const deck = customDeck('Animals', ['QUOKKA', 'WOMBAT', 'NUMBAT']);

	beforeAll(async () => {
		// Sealing is async; fast-check runs synchronously, so every seal is made up front (two per card).
		for (const voterId of VOTERS) for (const card of CARDS) seals.set(`${voterId}/${card}`, [await sealCard(card, { roundId: 'r1', voterId }), await sealCard(card, { roundId: 'r1', voterId })]);
	});

	type Op = { kind: 'vote'; voter: number; card: number; copy: number } | { kind: 'reveal'; peer: number } | { kind: 'deliver'; peer: number; pick: number } | { kind: 'offline'; peer: number };
	const opArb: fc.Arbitrary<Op> = fc.oneof(
		{ weight: 4, arbitrary: fc.record({ kind: fc.constant('vote' as const), voter: fc.nat(2), card: fc.nat(3), copy: fc.nat(1) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('reveal' as const), peer: fc.nat(2) }) },
		{ weight: 5, arbitrary: fc.record({ kind: fc.constant('deliver' as const), peer: fc.nat(2), pick: fc.nat(50) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('offline' as const), peer: fc.nat(2) }) }
	);

	async function run(ops: Op[], seed: number) {
		const base = new Y.Doc();
		createItem(base, { id: 'i1', title: 'One', by: 'ann', now: 1 }, localOrigin('ann'));
		startRound(base, { itemId: 'i1', deck, by: 'ann', id: 'r1', now: 1 }, localOrigin('ann'));
		const group = new PeerGroup(3, Y.encodeStateAsUpdate(base));
		// What each voter's device keeps: keys by commitment, and the card each one seals.
		const kept = VOTERS.map(() => new Map<string, { key: string; card: string }>());
		const publish = (k: number) => {
			const step = nextKeyStep(getRound(group.peers[k].doc, 'r1')!, VOTERS[k], (commitment) => kept[k].get(commitment) ?? null, 2);
			if (step.kind === 'publish') publishVoteKey(group.peers[k].doc, 'r1', VOTERS[k], step.key, group.peers[k].origin);
		};
		for (const op of ops) {
			if (op.kind === 'vote') {
				const peer = group.peers[op.voter];
				if (getRound(peer.doc, 'r1')!.status !== 'voting') continue;
				const card = CARDS[op.card];
				const { sealed, key } = seals.get(`${VOTERS[op.voter]}/${card}`)![op.copy];
				kept[op.voter].set(sealed.commitment, { key, card });
				castSealedVote(peer.doc, 'r1', VOTERS[op.voter], sealed, peer.origin, { now: 1 });
			} else if (op.kind === 'reveal') {
				const peer = group.peers[op.peer];
				if (peer.online && getRound(peer.doc, 'r1')!.status === 'voting') revealRound(peer.doc, 'r1', peer.origin, 1);
			} else if (op.kind === 'deliver') {
				group.deliver(group.peers[op.peer], op.pick);
			} else group.peers[op.peer].online = !group.peers[op.peer].online;
			// Each voter's client publishes as soon as it sees the reveal, as the web app does.
			for (let k = 0; k < 3; k++) publish(k);
		}
		if (getRound(group.peers[0].doc, 'r1')!.status === 'voting') revealRound(group.peers[0].doc, 'r1', group.peers[0].origin, 1);
		group.settle(seed);
		for (let k = 0; k < 3; k++) publish(k);
		group.settle(seed + 1);

		const rounds = group.peers.map((p) => getRound(p.doc, 'r1')!);
		for (const round of rounds) expect(round).toEqual(rounds[0]);
		const opened = await Promise.all(rounds.map(openRound));
		for (const o of opened) expect(o).toEqual(opened[0]);
		// Every counted vote opens to the card its voter sealed in exactly that entry; nobody waits.
		for (const vote of opened[0].votes) {
			expect(vote.state).toBe('open');
			const k = VOTERS.indexOf(vote.voterId);
			const entry = rounds[0].revealedVotes![vote.voterId];
			expect(entry.kind === 'sealed' && vote.state === 'open' ? vote.card : null).toBe(entry.kind === 'sealed' ? kept[k].get(entry.commitment)!.card : null);
		}
	}

	it('for random votes, reveals, delivery orders and disconnects', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), fc.nat(), async (ops, seed) => run(ops, seed)),
			{ numRuns: Number(process.env.CONVERGENCE_RUNS ?? 150) }
		);
	});

	it('regression (seed 1281029686): two reveals at once with different votes open to the winning reveal, the key published for the losing one is replaced', async () => {
		await run(
			[
				{ kind: 'vote', voter: 1, card: 0, copy: 0 },
				{ kind: 'deliver', peer: 2, pick: 0 },
				{ kind: 'vote', voter: 1, card: 1, copy: 0 },
				{ kind: 'reveal', peer: 2 },
				{ kind: 'reveal', peer: 1 }
			],
			0
		);
	});

	it('regression: a vote changed offline while someone else reveals opens to the vote the revealer saw', async () => {
		await run(
			[
				{ kind: 'vote', voter: 1, card: 0, copy: 0 },
				{ kind: 'deliver', peer: 0, pick: 0 },
				{ kind: 'offline', peer: 1 },
				{ kind: 'vote', voter: 1, card: 2, copy: 1 },
				{ kind: 'reveal', peer: 0 },
				{ kind: 'deliver', peer: 2, pick: 0 }
			],
			7
		);
	});
});
