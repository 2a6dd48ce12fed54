import { RefineryError } from '../doc';

/* Errors of the poker model; callers tell them apart with `instanceof`. */

/** No round with that id (yet: it may not have synced). */
export class UnknownRoundError extends RefineryError {
	override name = 'UnknownRoundError';
	constructor(readonly roundId: string) {
		super(`No poker round with id "${roundId}" in this room`);
	}
}

/** An action that the round's status does not allow, such as a vote after the reveal. */
export class RoundStateError extends RefineryError {
	override name = 'RoundStateError';
	constructor(
		readonly roundId: string,
		readonly status: string,
		readonly action: string
	) {
		super(`Cannot ${action}: the round is ${status}`);
	}
}

/** The round was already re-voted; act on the newer round instead. */
export class RoundSupersededError extends RefineryError {
	override name = 'RoundSupersededError';
	constructor(
		readonly roundId: string,
		readonly by: string
	) {
		super(`Cannot change this round: it was re-voted in round "${by}"`);
	}
}

/** A round is already open on the item; cancel it or vote in it. */
export class RoundInProgressError extends RefineryError {
	override name = 'RoundInProgressError';
	constructor(
		readonly itemId: string,
		readonly activeRoundId: string
	) {
		super('A poker round is already open on this item');
	}
}

/** A vote or estimate with a card the round's deck does not have. */
export class CardNotInDeckError extends RefineryError {
	override name = 'CardNotInDeckError';
	constructor(
		readonly card: string,
		readonly deckName: string
	) {
		super(`"${card}" is not a card of the ${deckName} deck`);
	}
}
