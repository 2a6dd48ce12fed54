import { expect, it } from 'vitest';
import { BEFORE_ALL, compareIds, nextId } from './streamIds';

it('orders stream ids numerically, not as strings', () => {
	expect(compareIds('9-0', '10-0')).toBeLessThan(0);
	expect(compareIds('10-2', '10-10')).toBeLessThan(0);
	expect(compareIds('10-10', '10-10')).toBe(0);
	expect(compareIds('1700000000000-1', BEFORE_ALL)).toBeGreaterThan(0);
	expect(() => compareIds('nope', '1-0')).toThrow();
});

it('gives the next id, for trimming through an id', () => {
	expect(nextId('1700000000000-9')).toBe('1700000000000-10');
	expect(compareIds(nextId('5-0'), '5-0')).toBeGreaterThan(0);
});
