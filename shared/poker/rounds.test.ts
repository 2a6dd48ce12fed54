import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnknownItemError } from '../doc';
import { readEstimate } from '../estimates';
import { deleteItems } from '../items';
import { setDeck } from '../meta';
import { customDeck, DECKS } from './decks';
import { CardNotInDeckError, RoundInProgressError, RoundStateError, RoundSupersededError, UnknownRoundError } from './errors';
import { alice, bob, docWithItems } from './fixtures';
import { activeRoundForItem, getRound, roundResult, roundsForItem } from './history';
import { acceptEstimate, cancelRound, revealRound, revote, startRound } from './rounds';
import { castVote, retractVote } from './votes';
import { requireItem } from '../doc';

const start = (doc = docWithItems('i1'), id = 'r1') => ({ doc, id: startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id, now: 100 }, alice) });

describe('startRound', () => {
	it('stores a voting round with a copy of the deck', () => {
		const { doc, id } = start();
		expect(getRound(doc, id)).toEqual({
			id: 'r1',
			itemId: 'i1',
			deck: DECKS.fibonacci,
			status: 'voting',
			votes: {},
			revealedVotes: null,
			startedAt: 100,
			startedBy: 'alice',
			revealedAt: null,
			acceptedCard: null,
			previous: null,
			attempt: 1,
			keys: {},
			revealedBy: null,
			timerEndsAt: null,
			revealProof: null,
			waitedFor: [],
			presentedAt: null,
			closedAt: null,
			anonymous: false
		});
		expect(activeRoundForItem(doc, 'i1')?.id).toBe('r1');
	});

	it('is one transaction with the given origin', () => {
		const doc = docWithItems('i1');
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr) => origins.push(tr.origin));
		start(doc);
		expect(origins).toEqual([alice]);
	});

	it('keeps the deck it started with when the room deck changes', () => {
		const { doc, id } = start();
		setDeck(doc, DECKS.tshirt, alice);
		expect(getRound(doc, id)!.deck).toEqual(DECKS.fibonacci);
	});

	it('makes a random id by default', () => {
		const doc = docWithItems('i1');
		const id = startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice' }, alice);
		expect(id).toMatch(/^[\w-]{16}$/);
	});

	it('refuses a second round while one is open, an unknown or deleted item, and a bad deck', () => {
		const { doc } = start();
		expect(() => start(doc, 'r2')).toThrow(RoundInProgressError);
		expect(() => startRound(doc, { itemId: 'nope', deck: DECKS.fibonacci, by: 'a' }, alice)).toThrow(UnknownItemError);
		const other = docWithItems('i1');
		deleteItems(other, ['i1'], alice);
		expect(() => start(other)).toThrow(InvalidInputError);
		expect(() => startRound(docWithItems('i1'), { itemId: 'i1', deck: { id: 'x', name: 'x', cards: [] }, by: 'a' }, alice)).toThrow(InvalidInputError);
		expect(roundsForItem(doc, 'i1')).toHaveLength(1);
	});

	it('numbers a later round after the earlier ones', () => {
		const { doc } = start();
		cancelRound(doc, 'r1', alice);
		start(doc, 'r0');
		expect(roundsForItem(doc, 'i1').map((r) => [r.id, r.attempt])).toEqual([
			['r1', 1],
			['r0', 2]
		]);
	});
});

describe('votes', () => {
	it('are cast, changed and taken back', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '5', alice, 1);
		castVote(doc, id, 'bob', '8', bob, 2);
		castVote(doc, id, 'alice', '3', alice, 3);
		expect(getRound(doc, id)!.votes).toEqual({ alice: { kind: 'open', card: '3', at: 3 }, bob: { kind: 'open', card: '8', at: 2 } });
		retractVote(doc, id, 'bob', bob);
		expect(Object.keys(getRound(doc, id)!.votes)).toEqual(['alice']);
	});

	it('write nothing when the same card is cast again', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '5', alice, 1);
		let updates = 0;
		doc.on('update', () => updates++);
		castVote(doc, id, 'alice', '5', alice, 2);
		expect(updates).toBe(0);
	});

	it('accept the special cards', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '☕', alice);
		expect(getRound(doc, id)!.votes.alice).toMatchObject({ card: '☕' });
	});

	it('are refused for a card not in the deck, an unknown round, or after the reveal', () => {
		const { doc, id } = start();
		expect(() => castVote(doc, id, 'alice', 'XL', alice)).toThrow(CardNotInDeckError);
		expect(() => castVote(doc, 'nope', 'alice', '5', alice)).toThrow(UnknownRoundError);
		expect(() => castVote(doc, id, '', '5', alice)).toThrow(InvalidInputError);
		revealRound(doc, id, alice);
		expect(() => castVote(doc, id, 'alice', '5', alice)).toThrow(RoundStateError);
		expect(() => retractVote(doc, id, 'alice', alice)).toThrow(RoundStateError);
	});

	it('check the round deck, not the room deck', () => {
		const doc = docWithItems('i1');
		const id = startRound(doc, { itemId: 'i1', deck: customDeck('Days', ['1', '2']), by: 'a' }, alice);
		expect(() => castVote(doc, id, 'alice', '3', alice)).toThrow(/not a card of the Days deck/);
	});
});

describe('revealRound', () => {
	it('freezes the votes that count and gives the statistics', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '5', alice);
		castVote(doc, id, 'bob', '8', bob);
		castVote(doc, id, 'carol', '?', bob);
		revealRound(doc, id, alice, 500);
		const round = getRound(doc, id)!;
		expect(round).toMatchObject({ status: 'revealed', revealedAt: 500 });
		expect(Object.keys(round.revealedVotes!)).toEqual(['alice', 'bob', 'carol']);
		expect(roundResult(round)).toMatchObject({ count: 3, numericCount: 2, median: 6.5, suggested: '8', unsure: 1 });
	});

	it('can reveal a round without votes, but only once', () => {
		const { doc, id } = start();
		revealRound(doc, id, alice);
		expect(roundResult(getRound(doc, id)!).count).toBe(0);
		expect(() => revealRound(doc, id, alice)).toThrow(RoundStateError);
	});

	it('gives no result while voting', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '5', alice);
		expect(roundResult(getRound(doc, id)!).count).toBe(0);
	});
});

describe('revote', () => {
	it('starts a linked round and keeps the old one as history', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '1', alice);
		castVote(doc, id, 'bob', '13', bob);
		revealRound(doc, id, alice);
		const next = revote(doc, id, { by: 'bob', id: 'r2', now: 200 }, bob);
		expect(getRound(doc, next)).toMatchObject({ itemId: 'i1', status: 'voting', previous: 'r1', attempt: 2, votes: {}, deck: DECKS.fibonacci });
		expect(getRound(doc, id)).toMatchObject({ status: 'revealed', votes: { alice: { card: '1' }, bob: { card: '13' } } });
		expect(roundsForItem(doc, 'i1').map((r) => r.id)).toEqual(['r1', 'r2']);
		expect(activeRoundForItem(doc, 'i1')?.id).toBe('r2');
	});

	it('is refused while voting, and for a round already re-voted', () => {
		const { doc, id } = start();
		expect(() => revote(doc, id, { by: 'a' }, alice)).toThrow(RoundStateError);
		revealRound(doc, id, alice);
		revote(doc, id, { by: 'a', id: 'r2' }, alice);
		expect(() => revote(doc, id, { by: 'a' }, alice)).toThrow(RoundSupersededError);
		expect(() => acceptEstimate(doc, id, '5', alice)).toThrow(RoundSupersededError);
		expect(() => cancelRound(doc, id, alice)).toThrow(RoundSupersededError);
	});

	it('leaves no open round when the re-vote is cancelled', () => {
		const { doc, id } = start();
		revealRound(doc, id, alice);
		cancelRound(doc, revote(doc, id, { by: 'a' }, alice), alice);
		expect(activeRoundForItem(doc, 'i1')).toBeNull();
	});
});

describe('acceptEstimate', () => {
	it('accepts the round and sets the item estimate in one transaction', () => {
		const { doc, id } = start();
		castVote(doc, id, 'alice', '5', alice);
		revealRound(doc, id, alice);
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		acceptEstimate(doc, id, '5', alice);
		expect(transactions).toBe(1);
		expect(getRound(doc, id)).toMatchObject({ status: 'accepted', acceptedCard: '5' });
		expect(readEstimate(requireItem(doc, 'i1'))).toEqual({ value: '5', stale: false });
		expect(activeRoundForItem(doc, 'i1')).toBeNull();
	});

	it('is refused before the reveal, for special cards and cards not in the deck', () => {
		const { doc, id } = start();
		expect(() => acceptEstimate(doc, id, '5', alice)).toThrow(RoundStateError);
		revealRound(doc, id, alice);
		expect(() => acceptEstimate(doc, id, '?', alice)).toThrow(InvalidInputError);
		expect(() => acceptEstimate(doc, id, '4', alice)).toThrow(CardNotInDeckError);
		expect(getRound(doc, id)!.status).toBe('revealed');
		acceptEstimate(doc, id, '3', alice);
		expect(() => acceptEstimate(doc, id, '5', alice)).toThrow(RoundStateError);
	});
});

describe('cancelRound', () => {
	it('closes a voting or revealed round, once', () => {
		const { doc, id } = start();
		cancelRound(doc, id, alice);
		expect(getRound(doc, id)!.status).toBe('cancelled');
		expect(activeRoundForItem(doc, 'i1')).toBeNull();
		expect(() => cancelRound(doc, id, alice)).toThrow(RoundStateError);
		const second = start(doc, 'r2');
		revealRound(doc, second.id, alice);
		cancelRound(doc, second.id, alice);
		expect(getRound(doc, second.id)!.status).toBe('cancelled');
	});

	it('refuses an unknown round', () => {
		expect(() => cancelRound(docWithItems('i1'), 'nope', alice)).toThrow(UnknownRoundError);
	});
});

describe('readers', () => {
	it('return null for an unknown round or an item without rounds', () => {
		const doc = docWithItems('i1');
		expect(getRound(doc, 'nope')).toBeNull();
		expect(activeRoundForItem(doc, 'i1')).toBeNull();
		expect(roundsForItem(doc, 'i1')).toEqual([]);
	});
});
