import type { Round } from './round';
import { openSealed, SealBrokenError } from './seal';
import { roundStats, type RoundStats } from './stats';

/** One revealed vote after opening: its card, still waiting for the voter's key, or broken. */
export type OpenedVote =
	| { voterId: string; name: string | null; at: number; state: 'open'; card: string }
	| { voterId: string; name: string | null; at: number; state: 'waiting' }
	| { voterId: string; name: string | null; at: number; state: 'invalid'; reason: 'commitment' | 'ciphertext' | 'format' | 'not-in-deck' };

/** A revealed round as everyone can read it once keys are in. */
export interface OpenedRound {
	roundId: string;
	/** Every vote the revealer saw, in voter id order. */
	votes: OpenedVote[];
	/** The cards that count: opened votes only (waiting and broken votes do not). */
	cards: string[];
	/** Statistics of `cards`. */
	stats: RoundStats;
}

/**
 * Open a round's revealed votes: open votes as they are, sealed votes with the keys their
 * voters published. A voter whose key has not arrived reads as waiting; a key or ciphertext
 * that does not check out reads as invalid, and neither counts. Nothing is opened while voting.
 * @example const { stats, votes } = await openRound(getRound(doc, id)!)
 */
export async function openRound(round: Round): Promise<OpenedRound> {
	const votes = await Promise.all(
		Object.entries(round.revealedVotes ?? {}).map(async ([voterId, vote]): Promise<OpenedVote> => {
			const base = { voterId, name: vote.name ?? null, at: vote.at };
			let card: string;
			if (vote.kind === 'open') card = vote.card;
			else {
				const key = round.keys[voterId];
				if (!key) return { ...base, state: 'waiting' };
				try {
					card = await openSealed(vote, key, { roundId: round.id, voterId });
				} catch (error) {
					if (error instanceof SealBrokenError) return { ...base, state: 'invalid', reason: error.reason };
					throw error;
				}
			}
			if (!round.deck.cards.includes(card)) return { ...base, state: 'invalid', reason: 'not-in-deck' };
			return { ...base, state: 'open', card };
		})
	);
	const cards = votes.flatMap((v) => (v.state === 'open' ? [v.card] : []));
	return { roundId: round.id, votes, cards, stats: roundStats(round.deck, cards) };
}
