import type { Round } from './round';

/** How long after a reveal a device still keeps its keys for a round nobody closed. */
export const KEEP_KEYS_AFTER_REVEAL_MS = 24 * 60 * 60 * 1000;

/** What a voter's device does next with the keys it keeps for one round. */
export type KeyStep = { kind: 'publish'; key: string } | { kind: 'forget' } | { kind: 'keep' };

/**
 * Decide what a voter's device does with its kept keys for one round, from the round as it
 * reads now. Two people can reveal at once with different snapshots of the votes; the one
 * Yjs keeps may name a vote other than the one this device already answered, so a published
 * key that does not open the revealed vote is replaced, and keys are kept until the round is
 * settled (closed, or a day past its reveal) so a late concurrent reveal can still be answered.
 * @example const step = nextKeyStep(round, userId, (c) => keys.find(round.id, c), Date.now())
 */
export function nextKeyStep(round: Round, voterId: string, find: (commitment: string) => { key: string } | null, now: number): KeyStep {
	if (round.status === 'voting') return { kind: 'keep' };
	if (round.status === 'cancelled') return { kind: 'forget' };
	const settled = round.status === 'accepted' || (round.revealedAt !== null && now - round.revealedAt > KEEP_KEYS_AFTER_REVEAL_MS);
	const mine = round.revealedVotes?.[voterId];
	const kept = mine?.kind === 'sealed' ? find(mine.commitment) : null;
	if (kept && round.keys[voterId] !== kept.key) return { kind: 'publish', key: kept.key };
	return settled ? { kind: 'forget' } : { kind: 'keep' };
}
