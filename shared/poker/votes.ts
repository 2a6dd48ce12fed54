import type * as Y from 'yjs';
import { InvalidInputError } from '../doc';
import type { Origin } from '../origins';
import { CardNotInDeckError, RoundStateError } from './errors';
import { readRound, readVote, requireRound, roundVotes, type OpenVote } from './round';

function requireVoting(doc: Y.Doc, roundId: string, action: string) {
	const map = requireRound(doc, roundId);
	const round = readRound(map);
	if (round.status !== 'voting') throw new RoundStateError(roundId, round.status, action);
	return { map, round };
}

/**
 * Cast or change a vote while the round is voting. Each voter is one key of the
 * votes map, so people voting at once never clash; a vote racing the reveal is
 * kept but does not count (see revealRound).
 * @example castVote(doc, roundId, userId, '5', origin)
 */
export function castVote(doc: Y.Doc, roundId: string, voterId: string, card: string, origin: Origin, now = Date.now()): void {
	if (!voterId) throw new InvalidInputError('A vote needs a voter');
	doc.transact(() => {
		const { map, round } = requireVoting(doc, roundId, 'vote');
		if (!round.deck.cards.includes(card)) throw new CardNotInDeckError(card, round.deck.name);
		const votes = roundVotes(map);
		const current = readVote(votes.get(voterId));
		if (current?.kind === 'open' && current.card === card) return;
		const vote: OpenVote = { kind: 'open', card, at: now };
		votes.set(voterId, vote);
	}, origin);
}

/** Take a vote back while the round is voting. */
export function retractVote(doc: Y.Doc, roundId: string, voterId: string, origin: Origin): void {
	doc.transact(() => {
		const { map } = requireVoting(doc, roundId, 'take back a vote');
		const votes = roundVotes(map);
		if (votes.has(voterId)) votes.delete(voterId);
	}, origin);
}
