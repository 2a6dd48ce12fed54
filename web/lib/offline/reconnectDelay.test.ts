import { describe, expect, test } from 'vitest';
import { DEFAULT_BACKOFF, onlineDelay, reconnectDelay } from './reconnectDelay';

/** A seeded uniform generator (mulberry32), so the spread is checked without flakiness. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('reconnectDelay', () => {
	test('the ceiling doubles per attempt up to the cap; the wait lies in its upper half', () => {
		const options = { baseMs: 500, capMs: 15_000 };
		const ceilings = [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000];
		ceilings.forEach((ceiling, attempt) => {
			expect(reconnectDelay(attempt, () => 0, options)).toBe(ceiling / 2);
			expect(reconnectDelay(attempt, () => 0.999999, options)).toBe(ceiling);
		});
	});

	test('huge attempt counts stay at the cap (no overflow to Infinity or NaN)', () => {
		expect(reconnectDelay(10_000, () => 0.5)).toBe(Math.round(DEFAULT_BACKOFF.capMs * 0.75));
		expect(reconnectDelay(-3, () => 0)).toBe(DEFAULT_BACKOFF.baseMs / 2);
	});

	test('1,000 clients dropped at once spread their first retries over the whole window', () => {
		const random = seeded(42);
		const delays = Array.from({ length: 1000 }, () => reconnectDelay(0, random));
		const buckets = new Array(10).fill(0);
		for (const delay of delays) buckets[Math.min(9, Math.floor((delay - 250) / 25))]++;
		// Without jitter all 1,000 would land in one bucket; with it, none holds more than ~15%.
		expect(Math.max(...buckets)).toBeLessThan(150);
		expect(Math.min(...buckets)).toBeGreaterThan(50);
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(250);
		expect(Math.max(...delays)).toBeLessThanOrEqual(500);
	});

	test('coming back online waits a short random time', () => {
		expect(onlineDelay(() => 0)).toBe(0);
		expect(onlineDelay(() => 0.999)).toBeLessThanOrEqual(DEFAULT_BACKOFF.baseMs / 5);
	});
});
