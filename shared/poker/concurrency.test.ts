import { describe, expect, it } from 'vitest';
import { readEstimate } from '../estimates';
import { requireItem } from '../doc';
import { DECKS } from './decks';
import { alice, bob, docWithItems, peerOf, sync } from './fixtures';
import { activeRoundForItem, getRound, openRoundsForItem, roundResult, roundsForItem } from './history';
import { acceptEstimate, cancelRound, revealRound, revote, startRound } from './rounds';
import { castVote } from './votes';

/** Two peers with the same item, not yet talking to each other. */
function twoPeers() {
	const a = docWithItems('i1');
	return { a, b: peerOf(a) };
}

const begin = (doc: ReturnType<typeof docWithItems>, id: string, by = 'alice') =>
	startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by, id, now: 1 }, by === 'alice' ? alice : bob);

describe('concurrent poker', () => {
	it('keeps both rounds when two people start one at once, and every peer shows the same', () => {
		const { a, b } = twoPeers();
		begin(a, 'rB', 'alice');
		begin(b, 'rA', 'bob');
		castVote(b, 'rA', 'bob', '5', bob);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(roundsForItem(doc, 'i1').map((r) => r.id)).toEqual(['rA', 'rB']);
			expect(openRoundsForItem(doc, 'i1').map((r) => r.id)).toEqual(['rA', 'rB']);
		}
		cancelRound(a, 'rB', alice);
		sync(a, b);
		expect(openRoundsForItem(b, 'i1').map((r) => r.id)).toEqual(['rA']);
	});

	it('counts only the votes the revealer saw; a vote racing the reveal is kept but not counted', () => {
		const { a, b } = twoPeers();
		begin(a, 'r1');
		castVote(a, 'r1', 'alice', '3', alice);
		sync(a, b);
		revealRound(a, 'r1', alice);
		castVote(b, 'r1', 'bob', '13', bob);
		sync(a, b);
		for (const doc of [a, b]) {
			const round = getRound(doc, 'r1')!;
			expect(round.status).toBe('revealed');
			expect(Object.keys(round.votes)).toEqual(['alice', 'bob']);
			// One estimate is no consensus (issue 14): it needs two agreeing.
			expect(roundResult(round)).toMatchObject({ count: 1, median: 3, consensus: false });
		}
	});

	it('settles two reveals of different vote sets on one of them, everywhere', () => {
		const { a, b } = twoPeers();
		begin(a, 'r1');
		sync(a, b);
		castVote(a, 'r1', 'alice', '3', alice);
		castVote(b, 'r1', 'bob', '8', bob);
		revealRound(a, 'r1', alice, 10);
		revealRound(b, 'r1', bob, 20);
		sync(a, b);
		expect(getRound(a, 'r1')).toEqual(getRound(b, 'r1'));
		expect(roundResult(getRound(a, 'r1')!).count).toBe(1);
	});

	it('keeps both an accept and a re-vote made at once: the estimate is set and the new round stays open', () => {
		const { a, b } = twoPeers();
		begin(a, 'r1');
		castVote(a, 'r1', 'alice', '5', alice);
		revealRound(a, 'r1', alice);
		sync(a, b);
		acceptEstimate(a, 'r1', '5', alice);
		revote(b, 'r1', { by: 'bob', id: 'r2' }, bob);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(getRound(doc, 'r1')!.status).toBe('accepted');
			expect(readEstimate(requireItem(doc, 'i1')).value).toBe('5');
			expect(activeRoundForItem(doc, 'i1')?.id).toBe('r2');
		}
	});

	it('agrees on one card when two people accept different ones at once', () => {
		const { a, b } = twoPeers();
		begin(a, 'r1');
		revealRound(a, 'r1', alice);
		sync(a, b);
		acceptEstimate(a, 'r1', '5', alice);
		acceptEstimate(b, 'r1', '8', bob);
		sync(a, b);
		const card = getRound(a, 'r1')!.acceptedCard;
		for (const doc of [a, b]) {
			expect(getRound(doc, 'r1')!.acceptedCard).toBe(card);
			expect(readEstimate(requireItem(doc, 'i1')).value).toBe(card);
		}
	});

	it('numbers a re-vote made from an older view after the rounds it saw', () => {
		const { a, b } = twoPeers();
		begin(a, 'r1');
		revealRound(a, 'r1', alice);
		sync(a, b);
		revote(a, 'r1', { by: 'alice', id: 'r2' }, alice);
		revote(b, 'r1', { by: 'bob', id: 'r3' }, bob);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(roundsForItem(doc, 'i1').map((r) => `${r.id}:${r.attempt}`)).toEqual(['r1:1', 'r2:2', 'r3:2']);
			expect(activeRoundForItem(doc, 'i1')?.id).toBe('r2');
		}
	});
});
