import { InvalidInputError } from '../doc';
import { POKER_TEXT } from './strings';

/** A deck of cards to estimate with. Stored as plain JSON (in meta and copied into each round). */
export interface Deck {
	id: string;
	name: string;
	cards: string[];
}

/** "I don't know": counted, but never part of the numbers. */
export const UNSURE_CARD = '?';
/** "I need a break". */
export const COFFEE_CARD = '☕';
/** "I won't estimate this one" (say, it is not my area). */
export const PASS_CARD = 'pass';
/** The special cards, in the order every deck ends with. */
export const SPECIAL_CARDS: readonly string[] = [UNSURE_CARD, COFFEE_CARD, PASS_CARD];

/** Limits of a custom deck; 8 characters is also the longest estimate an item takes. */
export const MAX_CARD_LENGTH = 8;
export const MAX_DECK_CARDS = 30;
export const MAX_DECK_NAME_LENGTH = 40;

/** True for `?`, `☕` and `pass`, which every deck ends with and no statistic counts as a value. */
export function isSpecialCard(card: string): boolean {
	return SPECIAL_CARDS.includes(card);
}

function preset(id: string, name: string, cards: string[]): Deck {
	// Frozen because presets are module state shared by every room in the process.
	return Object.freeze({ id, name, cards: Object.freeze([...cards, ...SPECIAL_CARDS]) as string[] });
}

/** The preset decks, keyed for code; their names come from POKER_TEXT. */
export const DECKS = Object.freeze({
	fibonacci: preset('fibonacci', POKER_TEXT.deckNames.fibonacci, ['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89']),
	// ½ is stored as "0.5" so that the value parses; cardFace shows it as ½.
	modifiedFibonacci: preset('modified-fibonacci', POKER_TEXT.deckNames.modifiedFibonacci, ['0', '0.5', '1', '2', '3', '5', '8', '13', '20', '40', '100']),
	tshirt: preset('tshirt', POKER_TEXT.deckNames.tshirt, ['XS', 'S', 'M', 'L', 'XL', 'XXL']),
	powersOfTwo: preset('powers-of-two', POKER_TEXT.deckNames.powersOfTwo, ['0', '1', '2', '4', '8', '16', '32', '64'])
});

function checkCard(raw: string): string {
	const card = raw.trim();
	if (!card) throw new InvalidInputError('A card cannot be empty');
	if (card.length > MAX_CARD_LENGTH) throw new InvalidInputError(`A card can be at most ${MAX_CARD_LENGTH} characters: "${card}"`);
	return card;
}

/**
 * A deck of the team's own cards, with the special cards appended. Special cards
 * given in `cards` are dropped rather than refused, since they are added anyway.
 * @example customDeck('Days', ['1', '2', '3', '5'])
 */
export function customDeck(name: string, cards: readonly string[]): Deck {
	const cleanName = name.replace(/\s+/g, ' ').trim() || POKER_TEXT.deckNames.custom;
	if (cleanName.length > MAX_DECK_NAME_LENGTH) throw new InvalidInputError(`A deck name can be at most ${MAX_DECK_NAME_LENGTH} characters`);
	const clean = cards.map(checkCard).filter((card) => !isSpecialCard(card));
	if (clean.length === 0) throw new InvalidInputError('A deck needs at least one card');
	if (clean.length > MAX_DECK_CARDS) throw new InvalidInputError(`A deck can have at most ${MAX_DECK_CARDS} cards`);
	const twice = clean.find((card, i) => clean.indexOf(card) !== i);
	if (twice !== undefined) throw new InvalidInputError(`The card "${twice}" appears twice`);
	return { id: 'custom', name: cleanName, cards: [...clean, ...SPECIAL_CARDS] };
}

/**
 * A plain copy of a deck after checking its shape, for storing in a round: a deck
 * read from the document may come from an import or an older app.
 */
export function copyDeck(deck: Deck): Deck {
	const { id, name, cards } = (deck ?? {}) as Partial<Deck>;
	if (typeof id !== 'string' || typeof name !== 'string' || !Array.isArray(cards) || !cards.every((c) => typeof c === 'string')) {
		throw new InvalidInputError('Not a deck: it needs an id, a name and a list of cards');
	}
	const values = cards.filter((card) => !isSpecialCard(card));
	if (values.length === 0 || values.length > MAX_DECK_CARDS) throw new InvalidInputError(`A deck has 1 to ${MAX_DECK_CARDS} cards`);
	if (cards.some((card) => !card || card.length > MAX_CARD_LENGTH) || new Set(cards).size !== cards.length) {
		throw new InvalidInputError('A deck has unique cards of 1 to 8 characters');
	}
	return { id, name, cards: [...cards] };
}

/** The deck's cards that carry a value (everything but the special cards), in deck order. */
export function valueCards(deck: Deck): string[] {
	return deck.cards.filter((card) => !isSpecialCard(card));
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** True when every value card is a number, so that values (not positions) are compared. */
export function isNumericDeck(deck: Deck): boolean {
	return valueCards(deck).every((card) => NUMBER.test(card));
}

/**
 * A card's value for statistics: the number for numeric decks, the position among
 * value cards otherwise (XS = 0, S = 1, …); null for special cards and strangers.
 * @example cardValue(DECKS.tshirt, 'M') // 2
 */
export function cardValue(deck: Deck, card: string): number | null {
	const step = cardStep(deck, card);
	if (step === null) return null;
	return isNumericDeck(deck) ? Number(card) : step;
}

/** A card's position among the deck's value cards (its step), or null. */
export function cardStep(deck: Deck, card: string): number | null {
	const step = valueCards(deck).indexOf(card);
	return step < 0 ? null : step;
}
