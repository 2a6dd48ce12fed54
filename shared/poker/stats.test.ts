import { describe, expect, it } from 'vitest';
import { customDeck, DECKS } from './decks';
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
			consensus: true,
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

	it('works on T-shirt sizes by position', () => {
		const stats = roundStats(DECKS.tshirt, ['S', 'M', 'L', 'XL', '?']);
		expect(stats.median).toBe(2.5);
		expect(stats.suggested).toBe('L');
		expect(stats.spread).toEqual({ value: 3, steps: 3 });
		expect(stats.mode).toEqual(['S', 'M', 'L', 'XL']);
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
