import type { RoomSettings } from '../meta';
import type { Round } from './round';

/**
 * Who may do what in a round. These rules are kept by every honest client; the relay does
 * not read the document, so a modified client could break them (docs/POKER.md says what
 * that can and cannot gain).
 */

/** A person's part in poker: voters are waited for, spectators watch. */
export type PokerRole = 'voter' | 'spectator';

/**
 * True when this person may reveal a round by hand. The facilitator always may (to go on
 * without someone who is away); with the "anyone" policy everyone may; a room without a
 * facilitator lets anyone.
 */
export function canReveal(settings: Pick<RoomSettings, 'revealPolicy' | 'facilitator'>, userId: string): boolean {
	return settings.revealPolicy === 'anyone' || settings.facilitator === null || settings.facilitator === userId;
}

/** True when at least one of `voterIds` is waited for and every one of them has voted. */
export function allHaveVoted(round: Round, voterIds: readonly string[]): boolean {
	return voterIds.length > 0 && voterIds.every((id) => id in round.votes);
}

/** How many of the people waited for have voted (for "3 of 5 have voted"). */
export function votedCount(round: Round, voterIds: readonly string[]): number {
	return voterIds.filter((id) => id in round.votes).length;
}

/**
 * Which present client reveals automatically (all voted, or the timer ran out): the
 * facilitator's when present, else the lowest client id, so that normally one client
 * writes the reveal. Two reveals at once are harmless anyway (see revealRound).
 */
export function autoRevealer(present: readonly { clientId: number; userId: string; canWrite: boolean }[], facilitator: string | null): number | null {
	const writers = present.filter((p) => p.canWrite);
	const chosen = writers.find((p) => p.userId === facilitator) ?? [...writers].sort((a, b) => a.clientId - b.clientId)[0];
	return chosen?.clientId ?? null;
}
