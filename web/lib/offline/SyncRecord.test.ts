import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ChangeFacts } from './changeFacts';
import { SyncRecord } from './SyncRecord';

/** localStorage is a browser API; a Map stands in for it in Node. */
class MemoryStorage {
	readonly data = new Map<string, string>();
	getItem(key: string) {
		return this.data.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		this.data.set(key, value);
	}
}

const change = (client: number, clock: number): ChangeFacts => ({ ends: [[client, clock]], deletes: [] });

describe('SyncRecord', () => {
	let storage: MemoryStorage;
	beforeEach(() => {
		storage = new MemoryStorage();
		(globalThis as { localStorage?: unknown }).localStorage = storage;
	});
	afterEach(() => {
		delete (globalThis as { localStorage?: unknown }).localStorage;
	});

	test('nothing stored reads as never synced, nothing pending', () => {
		expect(new SyncRecord('refinery:x').read()).toEqual({ lastSyncedAt: null, pending: [] });
	});

	test('a save is read back after a reload', () => {
		new SyncRecord('refinery:x').save(1000, [change(1, 5)], () => false);
		expect(new SyncRecord('refinery:x').read()).toEqual({ lastSyncedAt: 1000, pending: [change(1, 5)] });
	});

	test('two tabs keep each other’s pending changes, drop what is confirmed, and never go back in time', () => {
		const tabA = new SyncRecord('refinery:x');
		const tabB = new SyncRecord('refinery:x');
		tabA.save(2000, [change(1, 5)], () => false);
		tabB.save(1000, [change(2, 3)], () => false);
		expect(tabA.read()).toEqual({ lastSyncedAt: 2000, pending: [change(2, 3), change(1, 5)] });
		// A learns the relay holds B's change and has nothing pending itself.
		tabA.save(3000, [], (c) => c.ends[0][0] === 2 || c.ends[0][0] === 1);
		expect(tabB.read()).toEqual({ lastSyncedAt: 3000, pending: [] });
	});

	test('something else stored under the key is ignored, not trusted', () => {
		storage.setItem('refinery:sync:refinery:x', JSON.stringify({ lastSyncedAt: 'yesterday', pending: [{ ends: 'no' }] }));
		expect(new SyncRecord('refinery:x').read()).toEqual({ lastSyncedAt: null, pending: [] });
	});
});
