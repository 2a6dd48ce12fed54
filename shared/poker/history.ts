import type * as Y from 'yjs';
import { getRounds } from '../doc';
import { readRound, type Round } from './round';
import { roundStats, type RoundStats } from './stats';

/** A snapshot of one round, or null if the room has no such round. */
export function getRound(doc: Y.Doc, id: string): Round | null {
	const map = getRounds(doc).get(id);
	return map ? readRound(map) : null;
}

const byAttemptThenId = (a: Round, b: Round) => a.attempt - b.attempt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * An item's rounds, oldest first: the estimation history. Ordered by attempt, then
 * id; a round always has a higher attempt than every round its starter could see,
 * so only rounds started at the same time share a number.
 */
export function roundsForItem(doc: Y.Doc, itemId: string): Round[] {
	const rounds: Round[] = [];
	for (const map of getRounds(doc).values()) {
		const round = readRound(map);
		if (round.itemId === itemId) rounds.push(round);
	}
	return rounds.sort(byAttemptThenId);
}

/** True for a round that was re-voted: it stays in the history, but is closed. */
export function isSuperseded(history: readonly Round[], round: Round): boolean {
	return history.some((r) => r.previous === round.id);
}

/**
 * The item's open rounds (voting, or revealed and neither accepted, cancelled nor
 * re-voted), the one to show first. Several exist only when people started rounds
 * at the same time: the latest attempt wins, then the smallest id; the UI offers
 * to cancel the others.
 */
export function openRoundsForItem(doc: Y.Doc, itemId: string): Round[] {
	const history = roundsForItem(doc, itemId);
	return history
		.filter((r) => (r.status === 'voting' || r.status === 'revealed') && !isSuperseded(history, r))
		.sort((a, b) => b.attempt - a.attempt || (a.id < b.id ? -1 : 1));
}

/** The round the item's poker table shows, or null. */
export function activeRoundForItem(doc: Y.Doc, itemId: string): Round | null {
	return openRoundsForItem(doc, itemId)[0] ?? null;
}

/**
 * The open cards among a round's revealed votes (never a late vote); none while voting. Sealed
 * votes need their keys and Web Crypto, so they are opened by `openRound` (opened.ts) instead.
 */
export function revealedCards(round: Round): string[] {
	const cards: string[] = [];
	for (const vote of Object.values(round.revealedVotes ?? {})) if (vote.kind === 'open') cards.push(vote.card);
	return cards;
}

/** The statistics of a round, computed from its revealed votes. */
export function roundResult(round: Round): RoundStats {
	return roundStats(round.deck, revealedCards(round));
}

/** Who has voted, for presence ("3 of 5 voted"): ids in a stable order. */
export function voters(round: Round): string[] {
	return Object.keys(round.votes);
}
