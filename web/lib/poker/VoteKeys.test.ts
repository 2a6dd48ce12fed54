import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VoteKeys } from './VoteKeys';

/** A Storage in memory, with a switch that makes it refuse writes (a full or disabled storage). */
class MemoryStorage {
	items = new Map<string, string>();
	refuse = false;
	getItem(key: string) {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		if (this.refuse) throw new Error('QuotaExceededError');
		this.items.set(key, value);
	}
}

describe('VoteKeys', () => {
	let storage: MemoryStorage;
	beforeEach(() => {
		storage = new MemoryStorage();
		(globalThis as { localStorage?: unknown }).localStorage = storage;
	});
	afterEach(() => {
		delete (globalThis as { localStorage?: unknown }).localStorage;
	});

	test('keeps keys per room, person, round and commitment, across instances (a reload)', () => {
		const keys = new VoteKeys('room1', 'ann');
		expect(keys.keep('r1', 'c1', { key: 'k1', card: '5' })).toBe(true);
		expect(keys.keep('r1', 'c2', { key: 'k2', card: '8' })).toBe(true);
		const reloaded = new VoteKeys('room1', 'ann');
		expect(reloaded.find('r1', 'c1')).toEqual({ key: 'k1', card: '5' });
		expect(reloaded.find('r1', 'c2')).toEqual({ key: 'k2', card: '8' });
		expect(new VoteKeys('room2', 'ann').find('r1', 'c1')).toBe(null);
		expect(new VoteKeys('room1', 'ben').find('r1', 'c1')).toBe(null);
		reloaded.forget('r1');
		expect(keys.find('r1', 'c1')).toBe(null);
		expect(keys.rounds()).toEqual([]);
	});

	test('says so when the key cannot be stored, so no vote goes out without its key', () => {
		storage.refuse = true;
		expect(new VoteKeys('room1', 'ann').keep('r1', 'c1', { key: 'k1', card: '5' })).toBe(false);
		delete (globalThis as { localStorage?: unknown }).localStorage;
		expect(new VoteKeys('room1', 'ann').keep('r1', 'c1', { key: 'k1', card: '5' })).toBe(false);
	});

	test('reads damaged storage as empty', () => {
		storage.items.set('refinery.pokerKeys.room1.ann', '{"r1": {"c1": {"key": 3}}}');
		expect(new VoteKeys('room1', 'ann').find('r1', 'c1')).toBe(null);
		storage.items.set('refinery.pokerKeys.room1.ann', 'not json');
		expect(new VoteKeys('room1', 'ann').find('r1', 'c1')).toBe(null);
	});
});
