import type { RoomRecord, RoomStore, StoredState } from './RoomStore';

interface MemoryRoom {
	record: RoomRecord;
	snapshot: Uint8Array | null;
	/** The snapshot's state vector, when it was saved with one. */
	stateVector: Uint8Array | null;
	log: Uint8Array[];
}

/**
 * RoomStore in this process's memory: nothing survives a restart. For tests of the room and the
 * relay without files or sockets, and the reference the contract suite holds the real stores to.
 */
export class MemoryStore implements RoomStore {
	readonly #rooms = new Map<string, MemoryRoom>();
	readonly #tombstones = new Set<string>();

	async getRoom(id: string): Promise<RoomRecord | null> {
		const room = this.#rooms.get(id);
		return room ? { ...room.record } : null;
	}

	async claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord> {
		let room = this.#rooms.get(id);
		if (!room) {
			room = { record: { id, keyCheck: new Uint8Array(keyCheck), createdAt: now, lastActive: now, size: 0 }, snapshot: null, stateVector: null, log: [] };
			this.#rooms.set(id, room);
		}
		return { ...room.record };
	}

	async loadState(id: string): Promise<Uint8Array[]> {
		const room = this.#rooms.get(id);
		if (!room) return [];
		return room.snapshot ? [room.snapshot, ...room.log] : [...room.log];
	}

	async loadStoredState(id: string): Promise<StoredState> {
		const room = this.#rooms.get(id);
		const parts = await this.loadState(id);
		return { parts, stateVector: room && room.snapshot && room.log.length === 0 ? room.stateVector : null };
	}

	appendUpdate(id: string, update: Uint8Array): void {
		const room = this.#rooms.get(id);
		if (!room) throw new Error(`no room ${id} in the store`);
		// A copy: the caller may reuse its buffer.
		room.log.push(new Uint8Array(update));
	}

	async saveSnapshot(id: string, state: Uint8Array, _now: number, stateVector?: Uint8Array): Promise<void> {
		const room = this.#rooms.get(id);
		if (!room) return;
		room.snapshot = new Uint8Array(state);
		room.stateVector = stateVector ? new Uint8Array(stateVector) : null;
		room.log = [];
	}

	async touchRoom(id: string, lastActive: number, size: number): Promise<void> {
		const room = this.#rooms.get(id);
		if (!room) return;
		room.record.lastActive = lastActive;
		room.record.size = size;
	}

	async listRooms(): Promise<RoomRecord[]> {
		return [...this.#rooms.values()].map((room) => ({ ...room.record })).sort((a, b) => b.lastActive - a.lastActive);
	}

	async deleteRoom(id: string): Promise<boolean> {
		this.#tombstones.add(id);
		return this.#rooms.delete(id);
	}

	async isDeleted(id: string): Promise<boolean> {
		return this.#tombstones.has(id);
	}

	/** Memory always reads and writes. */
	async check(): Promise<void> {}

	async close(): Promise<void> {}
}
