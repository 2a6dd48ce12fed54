import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextInQueue } from './queue';

describe('nextInQueue', () => {
	it('takes the next open round after the current item, wrapping around', () => {
		const open = [{ itemId: 'a' }, { itemId: 'd' }];
		expect(nextInQueue(['a', 'b', 'c', 'd'], open, 'b')).toEqual({ itemId: 'd' });
		expect(nextInQueue(['a', 'b', 'c', 'd'], open, 'd')).toEqual({ itemId: 'a' });
	});

	it('is null when nothing else is open, and skips items no longer in the backlog', () => {
		expect(nextInQueue(['a'], [{ itemId: 'a' }], 'a')).toBeNull();
		expect(nextInQueue(['a'], [{ itemId: 'gone' }], 'a')).toBeNull();
	});

	it('never returns the current item, and returns something whenever another listed item is open', () => {
		fc.assert(
			fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1 }), fc.array(fc.integer({ min: 0, max: 25 })), fc.nat(), (order, open, pick) => {
				const ids = order.map(String);
				const current = ids[pick % ids.length];
				const rounds = open.map((n) => ({ itemId: String(n) }));
				const next = nextInQueue(ids, rounds, current);
				expect(next?.itemId).not.toBe(current);
				expect(next !== null).toBe(rounds.some((r) => r.itemId !== current && ids.includes(r.itemId)));
			})
		);
	});
});
