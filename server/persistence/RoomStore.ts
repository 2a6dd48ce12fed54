/** A room as the registry knows it. */
export interface RoomRecord {
	id: string;
	/** SHA-256 check of the view key (see server/access/keys.ts). */
	keyCheck: Uint8Array;
	createdAt: number;
	lastActive: number;
	/** Bytes of stored state (snapshot plus logged updates) at the last flush. */
	size: number;
}

/** A room's stored state and, when the store knows it without reading the bytes, its state vector. */
export interface StoredState {
	/** The snapshot (if any) followed by every update logged since, in order. */
	parts: Uint8Array[];
	/**
	 * The encoded state vector of all `parts` together: the one saved with the snapshot, when
	 * nothing was logged after it; otherwise null (the reader computes it from the bytes).
	 */
	stateVector: Uint8Array | null;
}

/**
 * Where rooms live between restarts. Writes for one room are issued one at a time by the
 * room (never concurrently), so an implementation needs no locking of its own.
 */
export interface RoomStore {
	getRoom(id: string): Promise<RoomRecord | null>;
	/** Register the room unless it exists; returns the record that is now stored (ours or the earlier one). */
	claimRoom(id: string, keyCheck: Uint8Array, now: number): Promise<RoomRecord>;
	/** The snapshot (if any) followed by every update logged since, in order. */
	loadState(id: string): Promise<Uint8Array[]>;
	/**
	 * `loadState` with the snapshot's state vector when nothing was logged after it, so a room
	 * can be loaded without decoding its bytes (a 1.2 MB room: 200 ms of a cold Yjs otherwise).
	 * Optional: without it, the reader decodes.
	 */
	loadStoredState?(id: string): Promise<StoredState>;
	/**
	 * Log one update; durable once this returns (or its promise resolves). A synchronous store
	 * may return nothing: the room then stores and broadcasts without waiting on a promise.
	 * A write the store could not make throws (or rejects with) StoreWriteError, with nothing kept.
	 */
	appendUpdate(id: string, update: Uint8Array): void | Promise<void>;
	/**
	 * Replace the snapshot and drop the logged updates, atomically. `stateVector` (encoded) is
	 * that of `state`, kept for `loadStoredState` when the store can keep it.
	 */
	saveSnapshot(id: string, state: Uint8Array, now: number, stateVector?: Uint8Array): Promise<void>;
	touchRoom(id: string, lastActive: number, size: number): Promise<void>;
	listRooms(): Promise<RoomRecord[]>;
	/** Remove a room and everything stored for it, leaving a tombstone; false if there was none. */
	deleteRoom(id: string): Promise<boolean>;
	/**
	 * Resolve if the store can read and write now; reject (StoreUnavailableError) if not, say a
	 * full disk or damaged database. `/healthz` answers 503 on a rejection.
	 */
	check(): Promise<void>;
	/** True if the room was deleted: its id can never be claimed again. */
	isDeleted(id: string): Promise<boolean>;
	close(): Promise<void>;
}
