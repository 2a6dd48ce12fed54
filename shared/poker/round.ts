import * as Y from 'yjs';
import { getRounds, type RoundMap } from '../doc';
import type { Deck } from './decks';
import { UnknownRoundError } from './errors';

/**
 * The record a poker round is stored as: one Y.Map per round in the `rounds` root.
 * Only `votes` is a Y.Map (voters vote at once, each under their own key); every
 * other field is a plain value written whole, so concurrent writes resolve per field.
 */
export const ROUND_STATUSES = ['voting', 'revealed', 'accepted', 'cancelled'] as const;
/** voting → revealed → accepted; voting or revealed → cancelled. */
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** A vote as anyone can read it. */
export interface OpenVote {
	kind: 'open';
	card: string;
	at: number;
	/** The voter's display name when they voted, so a round reads well after they left. */
	name?: string;
}
/**
 * A sealed vote: the card encrypted under a key only the voter's device holds until the
 * reveal, when it publishes the key into the round's `keys` (see seal.ts, docs/POKER.md).
 */
export interface SealedVote {
	kind: 'sealed';
	ciphertext: string;
	/** Commitment to the key, so the voter cannot choose what the vote opens to after the fact. */
	commitment: string;
	at: number;
	name?: string;
}
/** One voter's entry in a round's votes map. */
export type VoteEntry = OpenVote | SealedVote;
/** Votes by voter id. */
export type Votes = Readonly<Record<string, VoteEntry>>;

/** Field names of a round's Y.Map, in one place. */
export const R = {
	id: 'id',
	itemId: 'itemId',
	deck: 'deck',
	status: 'status',
	votes: 'votes',
	revealedVotes: 'revealedVotes',
	startedAt: 'startedAt',
	startedBy: 'startedBy',
	revealedAt: 'revealedAt',
	acceptedCard: 'acceptedCard',
	previous: 'previous',
	attempt: 'attempt',
	keys: 'keys',
	revealedBy: 'revealedBy',
	timerEndsAt: 'timerEndsAt',
	revealProof: 'revealProof',
	waitedFor: 'waitedFor',
	presentedAt: 'presentedAt',
	closedAt: 'closedAt',
	anonymous: 'anonymous'
} as const;

/** A read-only snapshot of a round: plain data, safe to keep and compare. */
export interface Round {
	readonly id: string;
	readonly itemId: string;
	/** The deck copied when the round started; changing the room's deck does not touch it. */
	readonly deck: Deck;
	readonly status: RoundStatus;
	/** Every vote cast, including one that arrived after the reveal. */
	readonly votes: Votes;
	/** The votes as the revealer saw them: the set every statistic is computed from. Null while voting. */
	readonly revealedVotes: Votes | null;
	readonly startedAt: number;
	readonly startedBy: string;
	readonly revealedAt: number | null;
	readonly acceptedCard: string | null;
	/** The round this one re-votes; null when it was started afresh. */
	readonly previous: string | null;
	/** The round's place in its item's history, 1 for the first. */
	readonly attempt: number;
	/** Keys of sealed votes, published by each voter after the reveal: voter id → key. */
	readonly keys: Readonly<Record<string, string>>;
	/** Who revealed (user id), or null; "auto" when the room revealed it by itself. */
	readonly revealedBy: string | null;
	/** When the round reveals itself (ms since the epoch, the presenter's clock), or null for no timer. */
	readonly timerEndsAt: number | null;
	/** The facilitator's signature of the reveal (proof.ts), or null for a reveal by someone else or by the room. */
	readonly revealProof: string | null;
	/** The voters the revealer's app was waiting for, so one who did not vote shows as such; empty when unknown. */
	readonly waitedFor: readonly string[];
	/** When the round was first put on the table, or null (a queued round not yet discussed). */
	readonly presentedAt: number | null;
	/** When the round was accepted or cancelled, or null. */
	readonly closedAt: number | null;
	/** Cards shown without names (the room's setting when the round started). */
	readonly anonymous: boolean;
}

/** A stored vote entry, or null for anything else. Entries without `kind` (hand-made imports) are open votes. */
export function readVote(value: unknown): VoteEntry | null {
	if (typeof value !== 'object' || value === null) return null;
	const v = value as Record<string, unknown>;
	const at = typeof v.at === 'number' ? v.at : 0;
	const name = typeof v.name === 'string' ? { name: v.name.slice(0, 40) } : {};
	if (v.kind === 'sealed' && typeof v.ciphertext === 'string') {
		return { kind: 'sealed', ciphertext: v.ciphertext, commitment: typeof v.commitment === 'string' ? v.commitment : '', at, ...name };
	}
	if ((v.kind === 'open' || v.kind === undefined) && typeof v.card === 'string') return { kind: 'open', card: v.card, at, ...name };
	return null;
}

function readKeys(value: unknown): Record<string, string> {
	const entries = value instanceof Y.Map ? [...value.entries()] : typeof value === 'object' && value !== null ? Object.entries(value) : [];
	const keys: Record<string, string> = {};
	for (const [voter, key] of entries) if (typeof key === 'string') keys[voter] = key;
	return keys;
}

function readVotes(value: unknown): Record<string, VoteEntry> {
	const entries = value instanceof Y.Map ? [...value.entries()] : typeof value === 'object' && value !== null ? Object.entries(value) : [];
	const votes: Record<string, VoteEntry> = {};
	for (const [voter, raw] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const vote = readVote(raw);
		if (vote) votes[voter] = vote;
	}
	return votes;
}

/** A deck damaged in an import reads as an empty deck, so every vote on it is refused cleanly. */
function readDeck(value: unknown): Deck {
	const deck = value as Partial<Deck> | null;
	return deck && Array.isArray(deck.cards) ? (deck as Deck) : { id: 'unknown', name: '', cards: [] };
}

/** Read a round's Y.Map into a snapshot. An unknown status (from a newer app) reads as cancelled: inert. */
export function readRound(map: RoundMap): Round {
	const status = map.get(R.status) as RoundStatus;
	const revealed = map.get(R.revealedVotes);
	return Object.freeze({
		id: map.get(R.id) as string,
		itemId: map.get(R.itemId) as string,
		deck: readDeck(map.get(R.deck)),
		status: ROUND_STATUSES.includes(status) ? status : 'cancelled',
		votes: readVotes(map.get(R.votes)),
		revealedVotes: revealed == null ? null : readVotes(revealed),
		startedAt: (map.get(R.startedAt) as number | undefined) ?? 0,
		startedBy: (map.get(R.startedBy) as string | undefined) ?? '',
		revealedAt: (map.get(R.revealedAt) as number | null | undefined) ?? null,
		acceptedCard: (map.get(R.acceptedCard) as string | null | undefined) ?? null,
		previous: (map.get(R.previous) as string | null | undefined) ?? null,
		attempt: (map.get(R.attempt) as number | undefined) ?? 1,
		keys: readKeys(map.get(R.keys)),
		revealedBy: (map.get(R.revealedBy) as string | null | undefined) ?? null,
		timerEndsAt: positiveOrNull(map.get(R.timerEndsAt)),
		revealProof: typeof map.get(R.revealProof) === 'string' ? (map.get(R.revealProof) as string) : null,
		waitedFor: readIds(map.get(R.waitedFor)),
		presentedAt: positiveOrNull(map.get(R.presentedAt)),
		closedAt: positiveOrNull(map.get(R.closedAt)),
		anonymous: map.get(R.anonymous) === true
	});
}

/** A list of user ids written by another client: strings only, and not too many to show. */
function readIds(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string').slice(0, 200) : [];
}

function positiveOrNull(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** Build a new round's Y.Map. Does not insert it. */
export function buildRound(fields: {
	id: string;
	itemId: string;
	deck: Deck;
	by: string;
	now: number;
	previous: string | null;
	attempt: number;
	anonymous?: boolean;
}): RoundMap {
	const map = new Y.Map<unknown>();
	map.set(R.id, fields.id);
	map.set(R.itemId, fields.itemId);
	map.set(R.deck, fields.deck);
	map.set(R.status, 'voting');
	map.set(R.votes, new Y.Map<unknown>());
	map.set(R.revealedVotes, null);
	map.set(R.startedAt, fields.now);
	map.set(R.startedBy, fields.by);
	map.set(R.revealedAt, null);
	map.set(R.acceptedCard, null);
	map.set(R.previous, fields.previous);
	map.set(R.attempt, fields.attempt);
	if (fields.anonymous) map.set(R.anonymous, true);
	// Its own map, created with the round: two voters publishing at once never clash.
	map.set(R.keys, new Y.Map<unknown>());
	return map;
}

/** The round's Y.Map, or UnknownRoundError. */
export function requireRound(doc: Y.Doc, id: string): RoundMap {
	const round = getRounds(doc).get(id);
	if (!round) throw new UnknownRoundError(id);
	return round;
}

/** The round's live votes map. */
export function roundVotes(map: RoundMap): Y.Map<unknown> {
	return map.get(R.votes) as Y.Map<unknown>;
}

/** The round's map of published keys; made on demand for a round from an older app or an import. */
export function roundKeys(map: RoundMap): Y.Map<unknown> {
	const keys = map.get(R.keys);
	if (keys instanceof Y.Map) return keys;
	const fresh = new Y.Map<unknown>();
	if (keys && typeof keys === 'object') for (const [voter, key] of Object.entries(keys)) fresh.set(voter, key);
	map.set(R.keys, fresh);
	return fresh;
}
