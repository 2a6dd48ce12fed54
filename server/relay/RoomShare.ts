/**
 * What a room needs when several relay processes serve it (REDIS_URL): one shared, totally
 * ordered log of updates, presence that crosses processes, and compaction by one relay at a
 * time. Rooms see only this interface; `server/redis/RoomBus.ts` implements it on Redis.
 */

/** One entry of a room's shared log. */
export interface LogEntry {
	/** Position in the log (a Redis stream id); entries arrive in increasing order. */
	id: string;
	update: Uint8Array;
	/** Appended by this relay: already in its document. */
	own: boolean;
}

/** What the shared layer tells a room. Called outside the room's queue: a room queues what it must. */
export interface RoomFeedHandlers {
	/** Entries appended after what the room loaded, in log order (this relay's own included). */
	entries(entries: LogEntry[]): void;
	/** Another relay's connections changed presence (an awareness update). */
	presence(update: Uint8Array, relay: string): void;
	/** Another relay, opening the room, asks for the presence this relay holds. */
	presenceQuery(): void;
	/** A relay stopped sending heartbeats: the presence it brought is gone. */
	relayGone(relay: string): void;
	/** Other relays dropped this relay's presence (it stalled): have this relay's clients announce themselves again. */
	nudgePresence(): void;
	/** Entries may have been missed (the subscription was down): load the log again. */
	resync(): void;
}

/** A room's link to the shared layer while it is in memory. */
export interface RoomFeed {
	/** Goes up whenever the subscription was re-established; a room compares it with the epoch it last loaded in. */
	readonly epoch: number;
	/** False while the subscription is down (entries could be missed). */
	readonly live: boolean;
	publishPresence(update: Uint8Array): void;
	queryPresence(): void;
	close(): Promise<void>;
}

/** Stored state and the log position it runs through. */
export interface SharedState {
	state: Uint8Array[];
	through: string;
}

export interface SharedRooms {
	/** This relay's id in the shared layer (tags its presence and entries). */
	readonly relayId: string;
	/** Subscribe to the room, then load it: every entry after `through` reaches `handlers`. */
	open(id: string, handlers: RoomFeedHandlers): Promise<SharedState & { feed: RoomFeed; epoch: number }>;
	/** Load the stored state again (to resynchronise). */
	load(id: string): Promise<SharedState>;
	/**
	 * Fold the log into a snapshot under the room's lock. `snapshot` is called once the lock is
	 * held and must return the state with the log position it includes. False when another
	 * relay holds the lock (it compacts instead) or a newer snapshot is already stored.
	 */
	compact(id: string, snapshot: () => { state: Uint8Array; through: string; size: number }): Promise<boolean>;
}
