import type { RoomSettings } from '../meta';
import type { Round } from './round';

/**
 * Whether a reveal was one the room's rules allowed, judged by each honest app before it
 * publishes its key. The relay does not read the document, so anyone with the edit link can
 * write a reveal; what they cannot do is make honest apps open their votes for it.
 */

/** Why a reveal was refused: nobody the rules allow revealed it, or the room revealed it before it could. */
export type RefusalReason = 'not-allowed' | 'too-early';

export type RevealVerdict = { allowed: true } | { allowed: false; reason: RefusalReason };

/** What the judging app knows besides the round's records. */
export interface RevealContext {
	settings: Pick<RoomSettings, 'revealPolicy' | 'facilitator'>;
	/** True when `round.revealProof` is the facilitator of record's signature of this reveal (checked with proof.ts). */
	proofValid: boolean;
	/** The voters this app sees present (and waits for) when it first sees the reveal. */
	presentVoters: readonly string[];
	/** This app's clock when it first sees the reveal. */
	now: number;
}

/** Clocks differ between devices: a timer reveal this much before the end still counts. */
export const CLOCK_SLACK_MS = 5_000;

/**
 * Judge a revealed round against the room's rules at the moment this app sees the reveal:
 * - the facilitator of record may always reveal, proven by the signature only their device makes;
 * - under "anyone", anyone may;
 * - a room without a facilitator lets anyone;
 * - the room itself ("auto") reveals when the timer has run out, or, under "automatic", once
 *   every voter present has voted (every one of them is among the revealed votes).
 * Anything else is an early reveal and is refused: honest apps keep their keys.
 * @example judgeReveal(round, { settings, proofValid, presentVoters, now: Date.now() }).allowed
 */
export function judgeReveal(round: Round, context: RevealContext): RevealVerdict {
	const { settings, proofValid, presentVoters, now } = context;
	const by = round.revealedBy;
	if (proofValid) return { allowed: true };
	if (by === 'auto') {
		if (round.timerEndsAt !== null && now >= round.timerEndsAt - CLOCK_SLACK_MS) return { allowed: true };
		const revealed = round.revealedVotes ?? {};
		if (settings.revealPolicy === 'auto' && Object.keys(revealed).length > 0 && presentVoters.every((id) => id in revealed)) return { allowed: true };
		return { allowed: false, reason: 'too-early' };
	}
	if (settings.revealPolicy === 'anyone' || settings.facilitator === null) return { allowed: true };
	return { allowed: false, reason: 'not-allowed' };
}
