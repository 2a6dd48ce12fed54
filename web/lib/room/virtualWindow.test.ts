import { describe, expect, test } from 'vitest';
import { scrollTopToReveal, visibleRange } from './virtualWindow';

describe('visibleRange', () => {
	test('the top of a long list: the rows in view and the overscan below', () => {
		expect(visibleRange({ scrollTop: 0, viewportHeight: 440, rowHeight: 44, count: 5000, overscan: 5 })).toEqual({ start: 0, end: 16 });
	});
	test('scrolled into the middle: overscan on both sides', () => {
		expect(visibleRange({ scrollTop: 4400, viewportHeight: 440, rowHeight: 44, count: 5000, overscan: 5 })).toEqual({ start: 95, end: 116 });
	});
	test('never past the end, even when scrolled beyond it', () => {
		expect(visibleRange({ scrollTop: 10_000_000, viewportHeight: 440, rowHeight: 44, count: 5000, overscan: 5 })).toEqual({ start: 4994, end: 5000 });
	});
	test('a short list shows every row; an empty one none', () => {
		expect(visibleRange({ scrollTop: 0, viewportHeight: 800, rowHeight: 44, count: 3 })).toEqual({ start: 0, end: 3 });
		expect(visibleRange({ scrollTop: 0, viewportHeight: 800, rowHeight: 44, count: 0 })).toEqual({ start: 0, end: 0 });
	});
});

describe('scrollTopToReveal', () => {
	const view = { scrollTop: 440, viewportHeight: 440, rowHeight: 44 };
	test('a row in view does not scroll', () => expect(scrollTopToReveal(12, view)).toBe(440));
	test('a row above scrolls up to its top', () => expect(scrollTopToReveal(2, view)).toBe(88));
	test('a row below scrolls just enough to show its bottom', () => expect(scrollTopToReveal(30, view)).toBe(31 * 44 - 440));
});
