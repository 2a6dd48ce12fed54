import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECKS } from './decks';
import { makeSigningKeys, revealStatement, signStatement, verifyStatement } from './proof';
import type { Round } from './round';
import { judgeReveal, type RevealContext } from './revealVerdict';

function revealed(fields: Partial<Round>): Round {
	return {
		id: 'r1',
		itemId: 'i1',
		deck: DECKS.fibonacci,
		status: 'revealed',
		votes: {},
		revealedVotes: {},
		startedAt: 1,
		startedBy: 'alice',
		revealedAt: 2,
		acceptedCard: null,
		previous: null,
		attempt: 1,
		keys: {},
		revealedBy: 'alice',
		timerEndsAt: null,
		revealProof: null,
		waitedFor: [],
		presentedAt: 1,
		closedAt: null,
		anonymous: false,
		...fields
	};
}

const vote = { kind: 'sealed' as const, ciphertext: 'x', commitment: 'y', at: 1 };
const base: RevealContext = { settings: { revealPolicy: 'facilitator', facilitator: 'alice' }, proofValid: false, presentVoters: ['alice', 'bob', 'carol'], now: 10_000 };

describe('judgeReveal', () => {
	it('issue 14: a reveal in the facilitator’s name without the facilitator’s proof is refused', () => {
		expect(judgeReveal(revealed({ revealedBy: 'alice' }), base)).toEqual({ allowed: false, reason: 'not-allowed' });
		expect(judgeReveal(revealed({ revealedBy: 'bob' }), base)).toEqual({ allowed: false, reason: 'not-allowed' });
	});

	it('allows the facilitator’s proven reveal under every policy', () => {
		for (const revealPolicy of ['facilitator', 'anyone', 'auto'] as const) {
			expect(judgeReveal(revealed({}), { ...base, settings: { revealPolicy, facilitator: 'alice' }, proofValid: true }).allowed).toBe(true);
		}
	});

	it('allows anyone under “anyone” and in a room without a facilitator', () => {
		expect(judgeReveal(revealed({ revealedBy: 'bob' }), { ...base, settings: { revealPolicy: 'anyone', facilitator: 'alice' } }).allowed).toBe(true);
		expect(judgeReveal(revealed({ revealedBy: 'bob' }), { ...base, settings: { revealPolicy: 'facilitator', facilitator: null } }).allowed).toBe(true);
	});

	it('allows the room’s own reveal after the last vote under “automatic”, and refuses it before', () => {
		const auto = { ...base, settings: { revealPolicy: 'auto' as const, facilitator: 'alice' } };
		const all = revealed({ revealedBy: 'auto', revealedVotes: { alice: vote, bob: vote, carol: vote } });
		const two = revealed({ revealedBy: 'auto', revealedVotes: { alice: vote, bob: vote } });
		expect(judgeReveal(all, auto).allowed).toBe(true);
		expect(judgeReveal(two, auto)).toEqual({ allowed: false, reason: 'too-early' });
		expect(judgeReveal(revealed({ revealedBy: 'auto', revealedVotes: {} }), { ...auto, presentVoters: [] }).allowed).toBe(false);
		// The same complete reveal under another policy is early: the room does not reveal by itself there.
		expect(judgeReveal(all, base).allowed).toBe(false);
	});

	it('allows the room’s reveal when the timer has run out, allowing for clocks a little apart', () => {
		expect(judgeReveal(revealed({ revealedBy: 'auto', timerEndsAt: 12_000 }), base).allowed).toBe(true);
		expect(judgeReveal(revealed({ revealedBy: 'auto', timerEndsAt: 60_000 }), base).allowed).toBe(false);
	});

	it('a reveal without the proof is never allowed under the facilitator policy, whatever it claims', () => {
		fc.assert(
			fc.property(fc.string(), fc.option(fc.integer({ min: 20_000, max: 1e9 })), fc.subarray(['alice', 'bob', 'carol']), (by, timer, present) => {
				const round = revealed({ revealedBy: by === 'auto' ? 'x' : by, timerEndsAt: timer });
				expect(judgeReveal(round, { ...base, presentVoters: present }).allowed).toBe(false);
			})
		);
	});
});

describe('the facilitator’s proof', () => {
	it('verifies for the signer’s key and statement only', async () => {
		const alice = await makeSigningKeys();
		const mallory = await makeSigningKeys();
		const proof = await signStatement(alice.privateKey, revealStatement('r1', 'alice'));
		expect(await verifyStatement(alice.publicKey, revealStatement('r1', 'alice'), proof)).toBe(true);
		expect(await verifyStatement(alice.publicKey, revealStatement('r2', 'alice'), proof)).toBe(false);
		expect(await verifyStatement(alice.publicKey, revealStatement('r1', 'bob'), proof)).toBe(false);
		expect(await verifyStatement(mallory.publicKey, revealStatement('r1', 'alice'), proof)).toBe(false);
		const forged = await signStatement(mallory.privateKey, revealStatement('r1', 'alice'));
		expect(await verifyStatement(alice.publicKey, revealStatement('r1', 'alice'), forged)).toBe(false);
		expect(await verifyStatement('not a key', revealStatement('r1', 'alice'), proof)).toBe(false);
		expect(await verifyStatement(alice.publicKey, revealStatement('r1', 'alice'), '!!')).toBe(false);
	});
});
