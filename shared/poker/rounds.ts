import type * as Y from 'yjs';
import { getItems, getRounds, InvalidInputError, requireItem } from '../doc';
import { setEstimate } from '../estimates';
import { newId } from '../ids';
import { isDeleted } from '../item';
import type { Origin } from '../origins';
import { copyDeck, isSpecialCard, type Deck } from './decks';
import { CardNotInDeckError, RoundInProgressError, RoundStateError, RoundSupersededError } from './errors';
import { activeRoundForItem, roundsForItem } from './history';
import { buildRound, R, readRound, requireRound, roundVotes, type RoundStatus } from './round';

/** What startRound needs. */
export interface NewRound {
	itemId: string;
	deck: Deck;
	/** Who starts it (user id). */
	by: string;
	/** For deterministic tests; default: a new random id. */
	id?: string;
	now?: number;
	/** Show the cards without names (the room's setting). */
	anonymous?: boolean;
}

/** One more than every attempt on the item this peer can see, so history order follows causality. */
function nextAttempt(doc: Y.Doc, itemId: string): number {
	return Math.max(0, ...roundsForItem(doc, itemId).map((r) => r.attempt)) + 1;
}

function insertRound(doc: Y.Doc, fields: { id: string; itemId: string; deck: Deck; by: string; now: number; previous: string | null; anonymous?: boolean }): void {
	if (getRounds(doc).has(fields.id)) throw new InvalidInputError(`A round with id "${fields.id}" already exists`);
	getRounds(doc).set(fields.id, buildRound({ ...fields, attempt: nextAttempt(doc, fields.itemId) }));
}

/** The round's map and snapshot, if its status is one of `allowed` and it was not re-voted. */
function requireStatus(doc: Y.Doc, roundId: string, allowed: RoundStatus[], action: string) {
	const map = requireRound(doc, roundId);
	const round = readRound(map);
	if (!allowed.includes(round.status)) throw new RoundStateError(roundId, round.status, action);
	const next = roundsForItem(doc, round.itemId).find((r) => r.previous === roundId);
	if (next) throw new RoundSupersededError(roundId, next.id);
	return { map, round };
}

/**
 * Start a round on an item with a copy of the deck. Refused while the item has an
 * open round; two people starting at once both succeed, and readers pick one.
 * @example const roundId = startRound(doc, { itemId, deck: readMeta(doc).deck!, by: userId }, origin)
 */
export function startRound(doc: Y.Doc, fields: NewRound, origin: Origin): string {
	const deck = copyDeck(fields.deck);
	const id = fields.id ?? newId();
	doc.transact(() => {
		if (isDeleted(requireItem(doc, fields.itemId))) throw new InvalidInputError('A deleted item cannot be estimated');
		const active = activeRoundForItem(doc, fields.itemId);
		if (active) throw new RoundInProgressError(fields.itemId, active.id);
		insertRound(doc, { id, itemId: fields.itemId, deck, by: fields.by, now: fields.now ?? Date.now(), previous: null, anonymous: fields.anonymous });
	}, origin);
	return id;
}

/**
 * Start rounds on several items at once (a queue for pre-voting), in one transaction.
 * Items that are deleted, missing or already have an open round are skipped.
 * @example startRounds(doc, nextUnestimated, { deck, by: userId }, origin) // → round ids
 */
export function startRounds(doc: Y.Doc, itemIds: readonly string[], fields: Omit<NewRound, 'itemId' | 'id'>, origin: Origin): string[] {
	const deck = copyDeck(fields.deck);
	const ids: string[] = [];
	doc.transact(() => {
		for (const itemId of new Set(itemIds)) {
			const item = getItems(doc).get(itemId);
			if (!item || isDeleted(item) || activeRoundForItem(doc, itemId)) continue;
			const id = newId();
			insertRound(doc, { id, itemId, deck, by: fields.by, now: fields.now ?? Date.now(), previous: null, anonymous: fields.anonymous });
			ids.push(id);
		}
	}, origin);
	return ids;
}

/** What a reveal records besides the votes: the facilitator's proof, and who the app waited for. */
export interface RevealRecord {
	/** The facilitator's signature of revealStatement(roundId, by) (proof.ts). */
	proof?: string;
	/** The voters the revealer's app was waiting for. */
	waitedFor?: readonly string[];
}

/**
 * Show the votes. The votes seen here are copied into `revealedVotes`, and every
 * statistic reads that copy: a vote that raced the reveal stays in `votes` (nothing
 * is lost) but does not count, so every peer computes the same result. Whether honest
 * apps then publish their keys is up to `judgeReveal` (revealVerdict.ts).
 */
export function revealRound(doc: Y.Doc, roundId: string, origin: Origin, now = Date.now(), by?: string, record: RevealRecord = {}): void {
	doc.transact(() => {
		const { map } = requireStatus(doc, roundId, ['voting'], 'reveal');
		map.set(R.revealedVotes, roundVotes(map).toJSON());
		map.set(R.revealedAt, now);
		map.set(R.revealedBy, by ?? (origin.kind === 'local' ? origin.userId : null));
		if (record.proof) map.set(R.revealProof, record.proof);
		if (record.waitedFor) map.set(R.waitedFor, [...record.waitedFor].slice(0, 200));
		map.set(R.status, 'revealed');
	}, origin);
}

/**
 * Vote again on a revealed round: a new round for the same item and deck, linked by
 * `previous`. The old round keeps its votes and stays revealed, as history.
 */
export function revote(doc: Y.Doc, roundId: string, fields: { by: string; id?: string; now?: number }, origin: Origin): string {
	const id = fields.id ?? newId();
	doc.transact(() => {
		const { round } = requireStatus(doc, roundId, ['revealed'], 're-vote');
		insertRound(doc, { id, itemId: round.itemId, deck: round.deck, by: fields.by, now: fields.now ?? Date.now(), previous: roundId, anonymous: round.anonymous });
	}, origin);
	return id;
}

/**
 * Accept a card as the item's estimate: the round becomes accepted and the item's
 * estimate is set, in one transaction. If someone re-voted at the same time, both
 * stand: the estimate is set and the new round stays open until accepted or cancelled.
 */
export function acceptEstimate(doc: Y.Doc, roundId: string, card: string, origin: Origin, now = Date.now()): void {
	doc.transact(() => {
		const { map, round } = requireStatus(doc, roundId, ['revealed'], 'accept an estimate');
		if (!round.deck.cards.includes(card)) throw new CardNotInDeckError(card, round.deck.name);
		if (isSpecialCard(card)) throw new InvalidInputError(`"${card}" cannot be an estimate`);
		// First, so that a missing item throws before the round is touched.
		setEstimate(doc, round.itemId, card, origin);
		map.set(R.acceptedCard, card);
		map.set(R.closedAt, now);
		map.set(R.status, 'accepted');
	}, origin);
}

/**
 * Close a round without an estimate (voting or revealed). A cancel racing an accept:
 * Yjs keeps one status, and the estimate the accept wrote stays either way.
 */
export function cancelRound(doc: Y.Doc, roundId: string, origin: Origin, now = Date.now()): void {
	doc.transact(() => {
		const { map } = requireStatus(doc, roundId, ['voting', 'revealed'], 'cancel');
		map.set(R.closedAt, now);
		map.set(R.status, 'cancelled');
	}, origin);
}
