import { describe, expect, it } from 'vitest';
import { newRoomId } from '../../shared/ids';
import type { RoomStore } from './RoomStore';

/** A store under test and how to dispose of it. */
export interface StoreUnderTest {
	store: RoomStore;
	close(): Promise<void>;
}

const bytes = (...values: number[]) => new Uint8Array(values);
/** Byte lists as plain arrays, so Buffers and Uint8Arrays compare equal. */
const plain = (list: Uint8Array[]) => list.map((update) => Array.from(update));
const check = (byte: number) => new Uint8Array(32).fill(byte);

/**
 * The rules every RoomStore keeps, numbered, run against each implementation (as tldraw's
 * storageContractSuite does): what the room and the relay may rely on whatever the storage.
 */
export function storeContractSuite(name: string, open: () => Promise<StoreUnderTest>): void {
	describe(`RoomStore contract: ${name}`, () => {
		const withStore = (rule: string, body: (store: RoomStore) => Promise<void>) =>
			it(rule, async () => {
				const { store, close } = await open();
				try {
					await body(store);
				} finally {
					await close();
				}
			});

		withStore('1. an unknown room has no record and no state', async (store) => {
			const id = newRoomId();
			expect(await store.getRoom(id)).toBeNull();
			expect(await store.loadState(id)).toEqual([]);
		});

		withStore('2. a room is claimed once: a second claim gets the first record back', async (store) => {
			const id = newRoomId();
			const first = await store.claimRoom(id, check(1), 1000);
			expect(first).toMatchObject({ id, createdAt: 1000, lastActive: 1000, size: 0 });
			expect(Array.from(first.keyCheck)).toEqual(Array.from(check(1)));
			const second = await store.claimRoom(id, check(2), 2000);
			expect(Array.from(second.keyCheck)).toEqual(Array.from(check(1)));
			expect(second.createdAt).toBe(1000);
			expect(Array.from((await store.getRoom(id))!.keyCheck)).toEqual(Array.from(check(1)));
		});

		withStore('3. appended updates load in the order they were appended', async (store) => {
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			const updates = Array.from({ length: 30 }, (_, i) => bytes(i, i + 1, i + 2));
			for (const update of updates) await store.appendUpdate(id, update);
			expect(plain(await store.loadState(id))).toEqual(plain(updates));
		});

		withStore('4. a snapshot replaces the updates before it; later ones follow it', async (store) => {
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			await store.appendUpdate(id, bytes(1));
			await store.appendUpdate(id, bytes(2));
			await store.saveSnapshot(id, bytes(9, 9), 10);
			await store.appendUpdate(id, bytes(3));
			expect(plain(await store.loadState(id))).toEqual(plain([bytes(9, 9), bytes(3)]));
			await store.saveSnapshot(id, bytes(8), 20);
			expect(plain(await store.loadState(id))).toEqual(plain([bytes(8)]));
		});

		withStore("5. rooms keep apart: one room's updates and snapshot are not another's", async (store) => {
			const [a, b] = [newRoomId(), newRoomId()];
			await store.claimRoom(a, check(1), 0);
			await store.claimRoom(b, check(2), 0);
			await store.appendUpdate(a, bytes(1));
			await store.appendUpdate(b, bytes(2));
			await store.saveSnapshot(a, bytes(10), 1);
			expect(plain(await store.loadState(a))).toEqual(plain([bytes(10)]));
			expect(plain(await store.loadState(b))).toEqual(plain([bytes(2)]));
		});

		withStore('6. touching a room records its activity and size; the list is newest first', async (store) => {
			const [older, newer] = [newRoomId(), newRoomId()];
			await store.claimRoom(older, check(1), 100);
			await store.claimRoom(newer, check(2), 200);
			await store.touchRoom(older, 5_000, 42);
			expect(await store.getRoom(older)).toMatchObject({ lastActive: 5_000, size: 42, createdAt: 100 });
			const listed = (await store.listRooms()).map((room) => room.id).filter((id) => id === older || id === newer);
			expect(listed).toEqual([older, newer]);
		});

		withStore('7. deleting a room removes its record and state, once', async (store) => {
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			await store.appendUpdate(id, bytes(1));
			await store.saveSnapshot(id, bytes(2), 1);
			await store.appendUpdate(id, bytes(3));
			expect(await store.deleteRoom(id)).toBe(true);
			expect(await store.getRoom(id)).toBeNull();
			expect(await store.loadState(id)).toEqual([]);
			expect((await store.listRooms()).some((room) => room.id === id)).toBe(false);
			expect(await store.deleteRoom(id)).toBe(false);
		});

		withStore('7b. a deleted room leaves a tombstone: its id reads as deleted for good', async (store) => {
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			expect(await store.isDeleted(id)).toBe(false);
			await store.deleteRoom(id);
			expect(await store.isDeleted(id)).toBe(true);
			expect(await store.isDeleted(newRoomId())).toBe(false);
		});

		withStore('8. a stored update is a copy: the caller may reuse its buffer at once', async (store) => {
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			const buffer = bytes(1, 2, 3);
			await store.appendUpdate(id, buffer);
			buffer.fill(0);
			expect(plain(await store.loadState(id))).toEqual([[1, 2, 3]]);
		});

		withStore('9. the health check passes on a working store', async (store) => {
			await expect(store.check()).resolves.toBeUndefined();
		});

		withStore('10. a snapshot saved with its state vector loads with it, until an update is logged after it', async (store) => {
			if (!store.loadStoredState) return;
			const id = newRoomId();
			await store.claimRoom(id, check(1), 0);
			await store.appendUpdate(id, bytes(1));
			expect(await store.loadStoredState(id)).toMatchObject({ stateVector: null });
			await store.saveSnapshot(id, bytes(9, 9), 10, bytes(1, 5, 7));
			const loaded = await store.loadStoredState(id);
			expect(plain(loaded.parts)).toEqual([[9, 9]]);
			expect(Array.from(loaded.stateVector!)).toEqual([1, 5, 7]);
			await store.appendUpdate(id, bytes(3));
			expect(await store.loadStoredState(id)).toMatchObject({ stateVector: null });
			expect(plain((await store.loadStoredState(id)).parts)).toEqual(plain([bytes(9, 9), bytes(3)]));
			await store.saveSnapshot(id, bytes(8), 20);
			expect(await store.loadStoredState(id)).toMatchObject({ stateVector: null });
		});
	});
}
