import { describe, expect, it } from 'vitest';
import { DECKS } from './decks';
import { alice, docWithItems } from './fixtures';
import { getRound } from './history';
import { allHaveVoted, autoRevealer, canReveal, votedCount } from './permissions';
import { startRound } from './rounds';
import { castVote } from './votes';

describe('who may reveal', () => {
	it('follows the room setting; the facilitator always may', () => {
		expect(canReveal({ revealPolicy: 'facilitator', facilitator: 'ann' }, 'ann')).toBe(true);
		expect(canReveal({ revealPolicy: 'facilitator', facilitator: 'ann' }, 'ben')).toBe(false);
		expect(canReveal({ revealPolicy: 'anyone', facilitator: 'ann' }, 'ben')).toBe(true);
		expect(canReveal({ revealPolicy: 'auto', facilitator: 'ann' }, 'ben')).toBe(false);
		expect(canReveal({ revealPolicy: 'auto', facilitator: 'ann' }, 'ann')).toBe(true);
		// A room without a facilitator (an old room) would otherwise have nobody to reveal.
		expect(canReveal({ revealPolicy: 'facilitator', facilitator: null }, 'ben')).toBe(true);
	});

	it('waits for every voter named, and counts only them', () => {
		const doc = docWithItems('i1');
		startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id: 'r1', now: 10_000 }, alice);
		castVote(doc, 'r1', 'ann', '3', alice);
		castVote(doc, 'r1', 'spectator-who-voted-earlier', '8', alice);
		const round = getRound(doc, 'r1')!;
		expect(allHaveVoted(round, ['ann', 'ben'])).toBe(false);
		expect(votedCount(round, ['ann', 'ben'])).toBe(1);
		expect(allHaveVoted(round, ['ann'])).toBe(true);
		expect(allHaveVoted(round, [])).toBe(false);
	});

	it('picks one client to reveal automatically: the facilitator, else the lowest client id that can write', () => {
		const present = [
			{ clientId: 9, userId: 'ann', canWrite: true },
			{ clientId: 3, userId: 'ben', canWrite: true },
			{ clientId: 1, userId: 'viewer', canWrite: false }
		];
		expect(autoRevealer(present, 'ann')).toBe(9);
		expect(autoRevealer(present, 'gone')).toBe(3);
		expect(autoRevealer([present[2]], null)).toBe(null);
	});
});
