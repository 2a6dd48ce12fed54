import { COFFEE_CARD, PASS_CARD, UNSURE_CARD, type Deck } from './decks';
import { cardFace } from './strings';

/**
 * Cards typed by their face: on Fibonacci, 3 votes 3 and 1 then 3 votes 13; `?` is "not sure",
 * `c` coffee, `p` pass. Letters type word cards too (m for M, x l for XL). Keys are matched
 * without case against what the card shows (½ is typed as 0.5 or ½).
 */

/** The keys of the special cards, as the hint tells them. */
export const SPECIAL_KEYS: Readonly<Record<string, string>> = { '?': UNSURE_CARD, c: COFFEE_CARD, p: PASS_CARD };

/** How long the app waits for a second key when the first could start a longer card (1 → 13). */
export const TYPING_PAUSE_MS = 700;

/** What the keys typed so far mean: the card they name exactly, and whether a longer card starts with them. */
export interface TypedMatch {
	/** The card these keys name exactly, or null. */
	card: string | null;
	/** True when more keys could still name another card (after "1" on Fibonacci: 13). */
	longer: boolean;
}

const spellings = (card: string): string[] => [...new Set([card, cardFace(card)].map((s) => s.toLowerCase()))];

/**
 * What the keys typed so far name in this deck. Special keys (`?`, `c`, `p`) apply only when no
 * card of the deck is spelled with them, so a deck with a card "c" still types it.
 * @example matchTyped(DECKS.fibonacci, '1') // { card: '1', longer: true }
 * @example matchTyped(DECKS.fibonacci, '13') // { card: '13', longer: false }
 */
export function matchTyped(deck: Deck, typed: string): TypedMatch {
	const keys = typed.toLowerCase();
	if (!keys) return { card: null, longer: false };
	const cards = deck.cards.filter((card) => card !== UNSURE_CARD && card !== COFFEE_CARD && card !== PASS_CARD);
	let card: string | null = null;
	let longer = false;
	for (const candidate of cards) {
		for (const spelled of spellings(candidate)) {
			if (spelled === keys) card = candidate;
			else if (spelled.startsWith(keys)) longer = true;
		}
	}
	if (card === null && !longer && keys in SPECIAL_KEYS && deck.cards.includes(SPECIAL_KEYS[keys])) card = SPECIAL_KEYS[keys];
	return { card, longer };
}

/**
 * The next state of a typing buffer after one key: the card to vote now (when nothing longer
 * can follow), the buffer to keep waiting with, or nothing. A key that fits nothing after the
 * buffer starts a new buffer on its own, so a stray key never blocks the next card.
 * @example typeKey(DECKS.fibonacci, '', '3') // { vote: '3', buffer: '' }
 */
export function typeKey(deck: Deck, buffer: string, key: string): { vote: string | null; buffer: string } {
	for (const keys of [buffer + key, key]) {
		const match = matchTyped(deck, keys);
		if (match.longer) return { vote: null, buffer: keys };
		if (match.card !== null) return { vote: match.card, buffer: '' };
	}
	return { vote: null, buffer: '' };
}

/** When the pause runs out: the card the buffer names exactly, if any (after "1", the 1). */
export function finishTyping(deck: Deck, buffer: string): string | null {
	return matchTyped(deck, buffer).card;
}
