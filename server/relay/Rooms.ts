import { getHeapStatistics } from 'node:v8';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { Connection } from './Connection';
import { Room, type RoomOptions } from './Room';

/** Every room in memory is busy and none can be unloaded to make space. */
export class ServerFullError extends Error {
	constructor(why = 'every room in memory has connections') {
		super(`server full: ${why}`);
		this.name = 'ServerFullError';
	}
}

export interface RoomsOptions extends Omit<RoomOptions, 'onIdle' | 'onBytes'> {
	maxRoomsInMemory: number;
	/** Bytes of all rooms in memory; past it idle rooms are unloaded, and new rooms refused. */
	maxRoomBytesInMemory: number;
	/** How long a room with no connections stays in memory. */
	idleUnloadMs: number;
}

/** The heap is past 70% of V8's limit: a new room could take the process down. */
function heapAtRisk(): boolean {
	const heap = getHeapStatistics();
	return heap.used_heap_size > 0.7 * heap.heap_size_limit;
}

/**
 * The rooms held in memory, least recently used first (a Map keeps insertion order, and
 * using a room re-inserts it). Idle rooms leave after a grace period, or earlier when
 * space is needed for another room.
 */
export class Rooms {
	readonly #rooms = new Map<string, Room>();
	readonly #unloading = new Map<string, Promise<void>>();
	readonly #idleTimers = new Map<string, NodeJS.Timeout>();
	readonly #options: RoomsOptions;
	readonly #log: Logger;
	readonly #metrics: RelayMetrics;
	/** Bytes all rooms in memory hold. */
	#bytes = 0;

	constructor(options: RoomsOptions) {
		this.#options = options;
		this.#log = options.logger;
		this.#metrics = options.metrics;
	}

	get size(): number {
		return this.#rooms.size;
	}

	/** Bytes all rooms in memory hold. */
	get bytes(): number {
		return this.#bytes;
	}

	/** Every room in memory. */
	values(): IterableIterator<Room> {
		return this.#rooms.values();
	}

	/** The room if it is in memory. */
	get(id: string): Room | undefined {
		return this.#rooms.get(id);
	}

	/** Load the room if needed and join the connection to it; throws ServerFullError. */
	async join(id: string, connection: Connection): Promise<Room> {
		for (;;) {
			await this.#unloading.get(id);
			const room = this.#rooms.get(id);
			if (room?.state === 'failed') {
				this.#rooms.delete(id);
				continue;
			}
			if (room) {
				this.#touch(room);
				room.join(connection);
				return room;
			}
			if (this.#rooms.size < this.#options.maxRoomsInMemory && this.#bytes < this.#options.maxRoomBytesInMemory && !heapAtRisk()) break;
			await this.#evictOne();
		}
		const room = new Room(id, {
			...this.#options,
			onIdle: (idle) => this.#scheduleUnload(idle),
			onBytes: (delta) => {
				this.#bytes += delta;
			}
		});
		this.#rooms.set(id, room);
		this.#metrics.roomsLoaded.set(this.#rooms.size);
		room.join(connection);
		return room;
	}

	/** Flush a room to the store and drop it from memory; keeps it if the flush fails. */
	async unload(id: string): Promise<void> {
		const room = this.#rooms.get(id);
		if (!room || room.connections.size > 0) return;
		this.#clearTimer(id);
		this.#rooms.delete(id);
		const done = room.unload().then((unloaded) => {
			if (unloaded) {
				this.#log.info({ room: id }, 'room unloaded');
				return;
			}
			// A failed final flush keeps the document; try again after another grace period.
			this.#rooms.set(id, room);
			if (room.connections.size === 0) this.#scheduleUnload(room);
		});
		this.#unloading.set(id, done);
		try {
			await done;
		} finally {
			this.#unloading.delete(id);
			this.#metrics.roomsLoaded.set(this.#rooms.size);
		}
	}

	/** Flush and unload every room (shutdown); connections must be closed first. */
	async unloadAll(): Promise<void> {
		for (const room of this.#rooms.values()) room.connections.clear();
		await Promise.all([...this.#rooms.keys()].map((id) => this.unload(id)));
		await Promise.all(this.#unloading.values());
		for (const id of [...this.#idleTimers.keys()]) this.#clearTimer(id);
	}

	async #evictOne(): Promise<void> {
		for (const [id, room] of this.#rooms) {
			if (room.connections.size === 0 && room.state === 'open') {
				this.#log.info({ room: id, loaded: this.#rooms.size }, 'rooms-in-memory limit: unloading least recently used room');
				await this.unload(id);
				return;
			}
		}
		throw new ServerFullError(this.#rooms.size >= this.#options.maxRoomsInMemory ? undefined : 'memory budget for rooms reached');
	}

	/** Drop a room from memory without a flush (it was deleted): its connections are closed first. */
	async discard(id: string): Promise<void> {
		const room = this.#rooms.get(id);
		if (!room) return;
		this.#clearTimer(id);
		this.#rooms.delete(id);
		this.#metrics.roomsLoaded.set(this.#rooms.size);
		await room.discard();
	}

	#touch(room: Room): void {
		this.#clearTimer(room.id);
		this.#rooms.delete(room.id);
		this.#rooms.set(room.id, room);
	}

	#scheduleUnload(room: Room): void {
		this.#clearTimer(room.id);
		const timer = setTimeout(() => {
			this.#idleTimers.delete(room.id);
			void this.unload(room.id);
		}, this.#options.idleUnloadMs);
		timer.unref();
		this.#idleTimers.set(room.id, timer);
	}

	#clearTimer(id: string): void {
		clearTimeout(this.#idleTimers.get(id));
		this.#idleTimers.delete(id);
	}
}
