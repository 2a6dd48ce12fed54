import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customDeck, DECKS } from './decks';
import { finishTyping, matchTyped, typeKey } from './typing';

/** Type keys one by one as the table does, ending with the pause. */
function typeAll(deck = DECKS.fibonacci, keys: string): string[] {
	const votes: string[] = [];
	let buffer = '';
	for (const key of keys) {
		const next = typeKey(deck, buffer, key);
		if (next.vote) votes.push(next.vote);
		buffer = next.buffer;
	}
	const last = finishTyping(deck, buffer);
	if (last) votes.push(last);
	return votes;
}

describe('typing cards by their face', () => {
	it('issue 14: on Fibonacci, 3 votes 3 and 8 votes 8 (not the third or eighth card)', () => {
		expect(typeKey(DECKS.fibonacci, '', '0')).toEqual({ vote: '0', buffer: '' });
		expect(typeAll(DECKS.fibonacci, '8')).toEqual(['8']);
		// 3 could start 34: the pause decides.
		expect(typeKey(DECKS.fibonacci, '', '3')).toEqual({ vote: null, buffer: '3' });
		expect(typeAll(DECKS.fibonacci, '3')).toEqual(['3']);
	});

	it('issue 14: 1 then 3 votes 13; 1 alone votes 1 after the pause', () => {
		expect(typeKey(DECKS.fibonacci, '', '1')).toEqual({ vote: null, buffer: '1' });
		expect(typeKey(DECKS.fibonacci, '1', '3')).toEqual({ vote: '13', buffer: '' });
		expect(finishTyping(DECKS.fibonacci, '1')).toBe('1');
		expect(typeAll(DECKS.fibonacci, '21')).toEqual(['21']);
	});

	it('types ?, c for coffee and p for pass', () => {
		expect(typeAll(DECKS.fibonacci, '?')).toEqual(['?']);
		expect(typeAll(DECKS.fibonacci, 'c')).toEqual(['☕']);
		expect(typeAll(DECKS.fibonacci, 'P')).toEqual(['pass']);
	});

	it('types ½ as 0.5, and 0 after the pause', () => {
		expect(typeAll(DECKS.modifiedFibonacci, '0.5')).toEqual(['0.5']);
		expect(typeAll(DECKS.modifiedFibonacci, '0')).toEqual(['0']);
		expect(typeAll(DECKS.modifiedFibonacci, '100')).toEqual(['100']);
	});

	it('types T-shirt sizes by letters', () => {
		expect(typeAll(DECKS.tshirt, 'm')).toEqual(['M']);
		expect(typeAll(DECKS.tshirt, 'xl')).toEqual(['XL']);
		expect(typeAll(DECKS.tshirt, 'xxl')).toEqual(['XXL']);
	});

	it('a stray key starts afresh instead of blocking the next card', () => {
		expect(typeAll(DECKS.fibonacci, '4')).toEqual([]);
		expect(typeKey(DECKS.fibonacci, '1', '0')).toEqual({ vote: '0', buffer: '' });
		expect(typeAll(DECKS.fibonacci, '48')).toEqual(['8']);
	});

	it('a deck card spelled like a special key wins over it', () => {
		const deck = customDeck('Letters', ['a', 'c', 'p']);
		expect(matchTyped(deck, 'c').card).toBe('c');
		expect(matchTyped(deck, '?').card).toBe('?');
	});

	it('typing any card’s face votes exactly that card, in every preset deck', () => {
		const decks = Object.values(DECKS);
		fc.assert(
			fc.property(fc.constantFrom(...decks).chain((deck) => fc.tuple(fc.constant(deck), fc.constantFrom(...deck.cards.filter((c) => c.length > 1 || /[0-9a-z]/i.test(c))))), ([deck, card]) => {
				const spelled = card === 'pass' ? 'p' : card === '☕' ? 'c' : card;
				expect(typeAll(deck, spelled)).toEqual([card]);
			})
		);
	});
});
