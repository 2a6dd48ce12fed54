import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { customDeck, DECKS, valueCards } from './decks';
import { disagreement, nearestCard, roundStats } from './stats';

const fib = DECKS.fibonacci;

describe('roundStats', () => {
	it('has nothing to say without votes', () => {
		const stats = roundStats(fib, []);
		expect(stats).toMatchObject({ count: 0, numericCount: 0, mean: null, median: null, mode: [], spread: null, consensus: false, suggested: null });
		expect(stats.distribution.every((d) => d.count === 0)).toBe(true);
	});

	it('counts special cards but leaves them out of the numbers', () => {
		const stats = roundStats(fib, ['?', '?', '☕', 'pass']);
		expect(stats).toMatchObject({ count: 4, numericCount: 0, unsure: 2, coffee: 1, pass: 1, mean: null, consensus: false, suggested: null });
	});

	it('handles one vote', () => {
		expect(roundStats(fib, ['8'])).toMatchObject({
			count: 1,
			numericCount: 1,
			mean: 8,
			median: 8,
			mode: ['8'],
			spread: { value: 0, steps: 0 },
			// One estimate agrees with nobody.
			consensus: false,
			suggested: '8'
		});
	});

	it('finds consensus despite special cards', () => {
		expect(roundStats(fib, ['5', '5', '?', 'pass']).consensus).toBe(true);
		expect(roundStats(fib, ['5', '8']).consensus).toBe(false);
	});

	it('takes the middle of an even count as the median', () => {
		const stats = roundStats(fib, ['2', '3', '8', '13']);
		expect(stats.median).toBe(5.5);
		expect(stats.mean).toBe(6.5);
		expect(stats.suggested).toBe('5');
	});

	it('rounds a tie between two cards up to the larger', () => {
		// The median 4 is 1 from 3 and 1 from 5.
		expect(roundStats(fib, ['3', '5']).suggested).toBe('5');
		expect(nearestCard(fib, 4)).toBe('5');
	});

	it('lists every card that ties for the mode, in deck order', () => {
		expect(roundStats(fib, ['8', '3', '8', '3', '5']).mode).toEqual(['3', '8']);
	});

	it('measures the spread in values and in deck steps', () => {
		expect(roundStats(fib, ['2', '13', '5']).spread).toEqual({ value: 11, steps: 4 });
	});

	it('keeps the distribution in deck order, ½ included', () => {
		const stats = roundStats(DECKS.modifiedFibonacci, ['1', '0.5', '0.5', '?']);
		expect(stats.distribution.map((d) => d.card)).toEqual(DECKS.modifiedFibonacci.cards);
		expect(stats.distribution.filter((d) => d.count > 0)).toEqual([
			{ card: '0.5', count: 2 },
			{ card: '1', count: 1 },
			{ card: '?', count: 1 }
		]);
		expect(stats.median).toBe(0.5);
	});

	it('shows T-shirt sizes as cards: median and mode are sizes, spread in steps, no mean', () => {
		const stats = roundStats(DECKS.tshirt, ['S', 'M', 'L', 'XL', '?']);
		expect(stats).toMatchObject({ scale: 'ordinal', mean: null, median: null, medianCard: 'L', suggested: 'L', spread: { value: null, steps: 3 } });
		expect(stats.mode).toEqual(['S', 'M', 'L', 'XL']);
	});

	it('issue 14: M, L, XL has the median L and no mean', () => {
		expect(roundStats(DECKS.tshirt, ['M', 'L', 'XL'])).toMatchObject({ mean: null, medianCard: 'L', spread: { value: null, steps: 2 } });
	});

	it('issue 14: a numeric custom deck computes with values, not positions (8, 8, 13 is not "mean 4.33")', () => {
		const stats = roundStats(customDeck('Team', ['1', '2', '3', '5', '8', '13']), ['8', '8', '13']);
		expect(stats.mean).toBeCloseTo(29 / 3);
		expect(stats.median).toBe(8);
	});

	it('issue 14: a custom deck with a word in it is ordinal, and its median is always a card', () => {
		const deck = customDeck('Words', ['1', '2', '3', '5', '8', 'huge']);
		const stats = roundStats(deck, ['2', '3', '8', 'huge']);
		expect(stats).toMatchObject({ scale: 'ordinal', mean: null, median: null, medianCard: '8' });
	});

	it('issue 14: one number beside ? and pass is no consensus', () => {
		expect(roundStats(fib, ['5', '?', 'pass']).consensus).toBe(false);
	});

	it('ignores a card from another deck in the numbers but counts the vote', () => {
		const stats = roundStats(fib, ['4', '5']);
		expect(stats).toMatchObject({ count: 2, numericCount: 1, median: 5 });
	});

	it('suggests the card nearest the median even when nobody played it', () => {
		// The median 50.5 is 40.5 from 10 and 49.5 from 100.
		expect(roundStats(customDeck('d', ['1', '10', '100']), ['1', '100']).suggested).toBe('10');
	});
});

describe('disagreement', () => {
	it('is 0 with fewer than two value votes or full agreement', () => {
		expect(disagreement(fib, [])).toBe(0);
		expect(disagreement(fib, ['5', '?'])).toBe(0);
		expect(disagreement(fib, ['5', '5'])).toBe(0);
	});

	it('sorts by deck steps first, then by relative variation', () => {
		const near = disagreement(fib, ['3', '5']);
		const far = disagreement(fib, ['1', '13']);
		const sameStepsMoreVariation = disagreement(fib, ['1', '2']);
		expect(Math.floor(near)).toBe(1);
		expect(far).toBeGreaterThan(near);
		expect(sameStepsMoreVariation).toBeGreaterThan(near);
		expect(Math.floor(sameStepsMoreVariation)).toBe(1);
	});

	it('works on T-shirt sizes', () => {
		expect(disagreement(DECKS.tshirt, ['XS', 'XXL'])).toBeGreaterThan(disagreement(DECKS.tshirt, ['M', 'L']));
	});
});

describe('roundStats properties', () => {
	const decks = [DECKS.fibonacci, DECKS.modifiedFibonacci, DECKS.tshirt, DECKS.powersOfTwo, customDeck('Words', ['tiny', 'small', 'big', 'huge'])];
	const arbRound = fc.constantFrom(...decks).chain((deck) => fc.tuple(fc.constant(deck), fc.array(fc.constantFrom(...deck.cards, 'stranger'), { maxLength: 12 })));

	it('an ordinal deck never shows a mean or a value median, and its median and mode are cards it has', () => {
		fc.assert(
			fc.property(arbRound, ([deck, cards]) => {
				const stats = roundStats(deck, cards);
				const values = valueCards(deck);
				if (stats.scale === 'ordinal') {
					expect(stats.mean).toBeNull();
					expect(stats.median).toBeNull();
					expect(stats.spread?.value ?? null).toBeNull();
				}
				if (stats.medianCard !== null) expect(values).toContain(stats.medianCard);
				if (stats.suggested !== null) expect(values).toContain(stats.suggested);
				for (const card of stats.mode) expect(cards).toContain(card);
			})
		);
	});

	it('consensus means at least two real estimates, all on one card', () => {
		fc.assert(
			fc.property(arbRound, ([deck, cards]) => {
				const real = cards.filter((card) => valueCards(deck).includes(card));
				expect(roundStats(deck, cards).consensus).toBe(real.length >= 2 && new Set(real).size === 1);
			})
		);
	});

	it('the order of votes does not matter, and the median lies between the lowest and highest estimate', () => {
		fc.assert(
			fc.property(arbRound, ([deck, cards]) => {
				const stats = roundStats(deck, cards);
				expect(roundStats(deck, [...cards].reverse())).toEqual(stats);
				const steps = cards.map((c) => valueCards(deck).indexOf(c)).filter((s) => s >= 0);
				if (stats.medianCard !== null && stats.scale === 'ordinal') {
					const step = valueCards(deck).indexOf(stats.medianCard);
					expect(step).toBeGreaterThanOrEqual(Math.min(...steps));
					expect(step).toBeLessThanOrEqual(Math.max(...steps));
				}
			})
		);
	});
});
