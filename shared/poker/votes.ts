import type * as Y from 'yjs';
import { InvalidInputError } from '../doc';
import type { Origin } from '../origins';
import { CardNotInDeckError, RoundStateError } from './errors';
import { readRound, readVote, requireRound, roundKeys, roundVotes, type OpenVote, type SealedVote } from './round';
import type { Sealed } from './seal';

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

/**
 * Cast or change a sealed vote: only the ciphertext and the key's commitment go into the
 * document (see seal.ts). The card cannot be checked against the deck here; a sealed vote
 * that opens to a stranger card reads as invalid at the reveal.
 * @example const { sealed, key } = await sealCard('5', { roundId, voterId }); castSealedVote(doc, roundId, voterId, sealed, origin)
 */
export function castSealedVote(
	doc: Y.Doc,
	roundId: string,
	voterId: string,
	sealed: Sealed,
	origin: Origin,
	{ now = Date.now(), name }: { now?: number; name?: string } = {}
): void {
	if (!voterId) throw new InvalidInputError('A vote needs a voter');
	if (!sealed.ciphertext || !sealed.commitment) throw new InvalidInputError('A sealed vote needs a ciphertext and a commitment');
	doc.transact(() => {
		const { map } = requireVoting(doc, roundId, 'vote');
		const vote: SealedVote = { kind: 'sealed', ciphertext: sealed.ciphertext, commitment: sealed.commitment, at: now };
		if (name) vote.name = name.slice(0, 40);
		roundVotes(map).set(voterId, vote);
	}, origin);
}

/**
 * Publish the key of one's sealed vote once the round is revealed, so everyone can open it.
 * Refused while voting: that would show the card early. Publishing the same key twice is a no-op.
 */
export function publishVoteKey(doc: Y.Doc, roundId: string, voterId: string, key: string, origin: Origin): void {
	doc.transact(() => {
		const map = requireRound(doc, roundId);
		const round = readRound(map);
		if (round.status === 'voting') throw new RoundStateError(roundId, round.status, 'publish a vote key');
		if (round.keys[voterId] === key) return;
		roundKeys(map).set(voterId, key);
	}, origin);
}
