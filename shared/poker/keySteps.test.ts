import { describe, expect, it } from 'vitest';
import { KEEP_KEYS_AFTER_REVEAL_MS, nextKeyStep } from './keySteps';
import type { Round, SealedVote } from './round';

const sealed = (commitment: string): SealedVote => ({ kind: 'sealed', ciphertext: 'x', commitment, at: 1 });
const kept: Record<string, { key: string }> = { c1: { key: 'k1' }, c2: { key: 'k2' } };
const find = (commitment: string) => kept[commitment] ?? null;

function round(fields: Partial<Round>): Round {
	return {
		id: 'r1', itemId: 'i1', deck: { id: 'fibonacci', name: 'Fibonacci', cards: ['1', '2'] }, status: 'revealed', votes: {}, revealedVotes: { ann: sealed('c1') },
		startedAt: 0, startedBy: 'ann', revealedAt: 1000, acceptedCard: null, previous: null, attempt: 1, keys: {}, revealedBy: 'ann', timerEndsAt: null,
		revealProof: null, waitedFor: [], presentedAt: null, closedAt: null, anonymous: false, ...fields
	} as Round;
}

describe('what a voter device does with its kept keys', () => {
	it('keeps them while voting and forgets them for a cancelled round', () => {
		expect(nextKeyStep(round({ status: 'voting', revealedVotes: null, revealedAt: null }), 'ann', find, 2000)).toEqual({ kind: 'keep' });
		expect(nextKeyStep(round({ status: 'cancelled' }), 'ann', find, 2000)).toEqual({ kind: 'forget' });
	});

	it('publishes the key of the vote the reveal names, and replaces one published for another vote', () => {
		expect(nextKeyStep(round({}), 'ann', find, 2000)).toEqual({ kind: 'publish', key: 'k1' });
		// A concurrent reveal won with the other vote: the key published for the first no longer opens it.
		expect(nextKeyStep(round({ revealedVotes: { ann: sealed('c2') }, keys: { ann: 'k1' } }), 'ann', find, 2000)).toEqual({ kind: 'publish', key: 'k2' });
		// Accepted before this device came back: still published, or the vote never opens.
		expect(nextKeyStep(round({ status: 'accepted' }), 'ann', find, 2000)).toEqual({ kind: 'publish', key: 'k1' });
	});

	it('keeps published keys until the round settles (accepted, or a day after the reveal), then forgets them', () => {
		const published = { keys: { ann: 'k1' } };
		expect(nextKeyStep(round(published), 'ann', find, 2000)).toEqual({ kind: 'keep' });
		expect(nextKeyStep(round({ ...published, status: 'accepted' }), 'ann', find, 2000)).toEqual({ kind: 'forget' });
		expect(nextKeyStep(round(published), 'ann', find, 1000 + KEEP_KEYS_AFTER_REVEAL_MS + 1)).toEqual({ kind: 'forget' });
		// No vote of ours in the reveal (it came after), or a vote this device did not seal: nothing to publish.
		expect(nextKeyStep(round({ revealedVotes: {} }), 'ann', find, 2000)).toEqual({ kind: 'keep' });
		expect(nextKeyStep(round({ revealedVotes: { ann: sealed('elsewhere') }, status: 'accepted' }), 'ann', find, 2000)).toEqual({ kind: 'forget' });
	});
});
