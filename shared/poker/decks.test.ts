import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../doc';
import { cardStep, cardValue, COFFEE_CARD, copyDeck, customDeck, DECKS, isNumericDeck, isSpecialCard, PASS_CARD, UNSURE_CARD, valueCards } from './decks';
import { cardFace, cardName } from './strings';

describe('preset decks', () => {
	it('have the agreed cards, then the special cards', () => {
		expect(valueCards(DECKS.fibonacci)).toEqual(['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89']);
		expect(valueCards(DECKS.modifiedFibonacci)).toEqual(['0', '0.5', '1', '2', '3', '5', '8', '13', '20', '40', '100']);
		expect(valueCards(DECKS.tshirt)).toEqual(['XS', 'S', 'M', 'L', 'XL', 'XXL']);
		expect(valueCards(DECKS.powersOfTwo)).toEqual(['0', '1', '2', '4', '8', '16', '32', '64']);
		for (const deck of Object.values(DECKS)) expect(deck.cards.slice(-3)).toEqual([UNSURE_CARD, COFFEE_CARD, PASS_CARD]);
	});

	it('cannot be changed by accident', () => {
		expect(() => DECKS.fibonacci.cards.push('144')).toThrow(TypeError);
	});
});

describe('isSpecialCard', () => {
	it('knows the three special cards', () => {
		expect([UNSURE_CARD, COFFEE_CARD, PASS_CARD].every(isSpecialCard)).toBe(true);
		expect(isSpecialCard('0')).toBe(false);
		expect(isSpecialCard('Pass')).toBe(false);
	});
});

describe('customDeck', () => {
	it('trims cards and appends the special cards', () => {
		expect(customDeck(' Days ', [' 1', '2 ', '3'])).toEqual({ id: 'custom', name: 'Days', cards: ['1', '2', '3', '?', '☕', 'pass'] });
	});

	it('drops special cards given by hand, which are appended anyway', () => {
		expect(customDeck('D', ['1', '?', 'pass']).cards).toEqual(['1', '?', '☕', 'pass']);
	});

	it('names an unnamed deck', () => {
		expect(customDeck('  ', ['a']).name).toBe('Custom');
	});

	it.each([
		[[], /at least one card/],
		[['1', ''], /cannot be empty/],
		[['1', '   '], /cannot be empty/],
		[['123456789'], /at most 8 characters/],
		[['1', '2', '1'], /"1" appears twice/],
		[['1', ' 1'], /"1" appears twice/],
		[Array.from({ length: 31 }, (_, i) => String(i)), /at most 30 cards/]
	])('refuses %j', (cards, message) => {
		expect(() => customDeck('x', cards)).toThrow(InvalidInputError);
		expect(() => customDeck('x', cards)).toThrow(message);
	});

	it('accepts 30 cards of 8 characters', () => {
		const cards = Array.from({ length: 30 }, (_, i) => String(i).padStart(8, 'x'));
		expect(customDeck('x', cards).cards).toHaveLength(33);
	});

	it('refuses a name that is too long', () => {
		expect(() => customDeck('x'.repeat(41), ['1'])).toThrow(InvalidInputError);
	});
});

describe('copyDeck', () => {
	it('copies a valid deck', () => {
		const copy = copyDeck(DECKS.fibonacci);
		expect(copy).toEqual(DECKS.fibonacci);
		expect(copy.cards).not.toBe(DECKS.fibonacci.cards);
	});

	it.each([null, {}, { id: 'x', name: 'x', cards: [] }, { id: 'x', name: 'x', cards: ['1', '1'] }, { id: 'x', name: 'x', cards: [1] }])(
		'refuses %j',
		(deck) => {
			expect(() => copyDeck(deck as never)).toThrow(InvalidInputError);
		}
	);
});

describe('cardValue', () => {
	it('is the number on numeric decks', () => {
		expect(cardValue(DECKS.fibonacci, '13')).toBe(13);
		expect(cardValue(DECKS.modifiedFibonacci, '0.5')).toBe(0.5);
		expect(isNumericDeck(DECKS.powersOfTwo)).toBe(true);
	});

	it('is the position on T-shirt decks', () => {
		expect(isNumericDeck(DECKS.tshirt)).toBe(false);
		expect(cardValue(DECKS.tshirt, 'XS')).toBe(0);
		expect(cardValue(DECKS.tshirt, 'XXL')).toBe(5);
	});

	it('is the position on a custom deck with any word in it', () => {
		const deck = customDeck('mixed', ['1', '2', 'big']);
		expect(cardValue(deck, '2')).toBe(1);
	});

	it('is null for special cards and cards not in the deck', () => {
		expect(cardValue(DECKS.fibonacci, UNSURE_CARD)).toBeNull();
		expect(cardValue(DECKS.fibonacci, PASS_CARD)).toBeNull();
		expect(cardValue(DECKS.fibonacci, '4')).toBeNull();
	});

	it('has steps along the deck', () => {
		expect(cardStep(DECKS.fibonacci, '13')).toBe(6);
		expect(cardStep(DECKS.fibonacci, COFFEE_CARD)).toBeNull();
	});
});

describe('card texts', () => {
	it('show ½ and translated names, and keep other cards as they are', () => {
		expect(cardFace('0.5')).toBe('½');
		expect(cardFace('13')).toBe('13');
		expect(cardFace(PASS_CARD)).toBe('Pass');
		expect(cardName(UNSURE_CARD)).toBe('Not sure');
		expect(cardName('M')).toBe('M');
	});
});
