import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import { ENTRY_MESSAGE, RedisStore } from '../persistence/RedisStore';
import type { RoomFeed, RoomFeedHandlers, SharedRooms, SharedState } from '../relay/RoomShare';
import { connectRedis, type RedisConnection } from './connection';
import { RELAYS_CHANNEL, roomKeys, roomOfChannel } from './keys';

const PRESENCE_MESSAGE = 0x61; // 'a': an awareness update from a relay's connections
const QUERY_MESSAGE = 0x71; // 'q': a relay opening a room asks for everyone's presence
const HEARTBEAT_MESSAGE = 0x68; // 'h'
const BYE_MESSAGE = 0x62; // 'b': a relay shutting down
const NUDGE_MESSAGE = 0x6e; // 'n': to the relay named in the body: your clients' presence is gone here, have them re-announce

/** Relay ids are 16 hex characters, so a message's fixed header is 17 bytes. */
const RELAY_ID_LENGTH = 16;

export interface RoomBusOptions {
	/** A relay publishes a heartbeat this often; one silent for three beats is taken for dead. */
	heartbeatMs: number;
}

/**
 * The relay's link to Redis: a command connection (the store's) and a subscriber connection.
 * Each room in memory subscribes to its channel, where the append script publishes log entries
 * in log order and relays publish presence. Heartbeats on one channel tell when a relay died,
 * so the presence of its clients can be removed everywhere.
 */
export class RoomBus implements SharedRooms {
	readonly relayId = randomBytes(RELAY_ID_LENGTH / 2).toString('hex');
	readonly store: RedisStore;
	readonly #client: RedisConnection;
	readonly #subscriber: RedisConnection;
	readonly #log: Logger;
	readonly #options: RoomBusOptions;
	readonly #rooms = new Map<string, RoomFeedHandlers>();
	/** Other relays and when each was last heard from. */
	readonly #relays = new Map<string, number>();
	readonly #timer: NodeJS.Timeout;
	#epoch = 0;
	#live = true;
	#nudge: NodeJS.Timeout | null = null;
	#closed = false;

	private constructor(client: RedisConnection, subscriber: RedisConnection, logger: Logger, options: RoomBusOptions) {
		this.#client = client;
		this.#subscriber = subscriber;
		this.#log = logger;
		this.#options = options;
		this.store = new RedisStore(client, this.relayId);
		// Down: entries published meanwhile are missed, so every room reloads once it is back.
		// (An 'error' that did not cost the connection leaves it ready, and changes nothing.)
		subscriber.on('reconnecting', () => {
			this.#live = false;
		});
		subscriber.on('error', () =>
			setImmediate(() => {
				if (!subscriber.isReady) this.#live = false;
			})
		);
		subscriber.on('ready', () => {
			// 'ready' comes once every channel is subscribed again: now a reload misses nothing.
			if (this.#live) return;
			this.#live = true;
			this.#epoch++;
			const now = Date.now();
			for (const relay of this.#relays.keys()) this.#relays.set(relay, now);
			for (const handlers of this.#rooms.values()) handlers.resync();
		});
		this.#timer = setInterval(() => this.#beat(), options.heartbeatMs);
		this.#timer.unref();
	}

	/** Connect both connections and start the heartbeat. */
	static async connect(url: string, logger: Logger, options: RoomBusOptions): Promise<RoomBus> {
		const client = await connectRedis(url, logger, 'refinery-relay');
		const subscriber = await connectRedis(url, logger, 'refinery-relay-subscriber');
		const bus = new RoomBus(client, subscriber, logger, options);
		await subscriber.subscribe(RELAYS_CHANNEL, bus.#onRelayMessage, true);
		bus.#beat();
		return bus;
	}

	async open(id: string, handlers: RoomFeedHandlers): Promise<SharedState & { feed: RoomFeed; epoch: number }> {
		this.#rooms.set(id, handlers);
		const channel = roomKeys(id).channel;
		const epoch = this.#epoch;
		try {
			await this.#subscriber.subscribe(channel, this.#onRoomMessage, true);
			const loaded = await this.store.loadShared(id);
			return { ...loaded, epoch, feed: this.#feed(id, channel) };
		} catch (error) {
			if (this.#rooms.get(id) === handlers) this.#rooms.delete(id);
			await this.#subscriber.unsubscribe(channel, this.#onRoomMessage, true).catch(() => {});
			throw error;
		}
	}

	load(id: string): Promise<SharedState> {
		return this.store.loadShared(id);
	}

	compact(id: string, snapshot: () => { state: Uint8Array; through: string; size: number }): Promise<boolean> {
		return this.store.compactUnderLock(id, snapshot);
	}

	/** Say goodbye (so others drop this relay's presence at once) and close both connections. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		if (this.#nudge) clearTimeout(this.#nudge);
		await this.#publish(RELAYS_CHANNEL, this.#message(BYE_MESSAGE));
		await Promise.allSettled([this.#subscriber.close(), this.#client.close()]);
	}

	#feed(id: string, channel: string): RoomFeed {
		const bus = this;
		return {
			get epoch() {
				return bus.#epoch;
			},
			get live() {
				return bus.#live;
			},
			publishPresence: (update) => void this.#publish(channel, this.#message(PRESENCE_MESSAGE, update)),
			queryPresence: () => void this.#publish(channel, this.#message(QUERY_MESSAGE)),
			close: async () => {
				this.#rooms.delete(id);
				await this.#subscriber.unsubscribe(channel, this.#onRoomMessage, true).catch(() => {});
			}
		};
	}

	#message(type: number, body?: Uint8Array): Buffer {
		const head = Buffer.from(String.fromCharCode(type) + this.relayId);
		return body ? Buffer.concat([head, body]) : head;
	}

	/** Fire and forget: presence and heartbeats are soft state, re-sent anyway. */
	async #publish(channel: string, message: Buffer): Promise<void> {
		try {
			await this.#client.publish(channel, message);
		} catch (error) {
			this.#log.debug({ err: error, channel }, 'publish failed');
		}
	}

	#beat(): void {
		if (this.#closed) return;
		void this.#publish(RELAYS_CHANNEL, this.#message(HEARTBEAT_MESSAGE));
		if (!this.#live) return;
		const deadline = Date.now() - 3 * this.#options.heartbeatMs;
		for (const [relay, at] of this.#relays) if (at < deadline) this.#gone(relay, 'heartbeat missed');
	}

	#gone(relay: string, why: string): void {
		if (!this.#relays.delete(relay)) return;
		this.#log.info({ relay, why }, 'relay gone: removing its presence');
		for (const handlers of this.#rooms.values()) handlers.relayGone(relay);
	}

	#onRelayMessage = (message: Buffer): void => {
		const relay = message.subarray(1, 1 + RELAY_ID_LENGTH).toString();
		if (relay === this.relayId) return;
		switch (message[0]) {
			case BYE_MESSAGE:
				this.#gone(relay, 'shut down');
				return;
			case NUDGE_MESSAGE:
				if (message.subarray(1 + RELAY_ID_LENGTH).toString() !== this.relayId) return;
				// Every other relay nudges when this one comes back from a stall: answer them all at once.
				this.#nudge ??= setTimeout(() => {
					this.#nudge = null;
					for (const handlers of this.#rooms.values()) handlers.nudgePresence();
				}, 100);
				return;
			case HEARTBEAT_MESSAGE:
				// A relay not heard of before is new, or was taken for dead (a stall longer than three
				// beats) and its clients' presence removed here: ask it to have them re-announce.
				if (!this.#relays.has(relay)) void this.#publish(RELAYS_CHANNEL, this.#message(NUDGE_MESSAGE, Buffer.from(relay)));
				this.#relays.set(relay, Date.now());
				return;
		}
	};

	#onRoomMessage = (message: Buffer, channel: Buffer): void => {
		const id = roomOfChannel(channel.toString());
		const handlers = id === null ? undefined : this.#rooms.get(id);
		if (!handlers) return;
		const relay = message.subarray(1, 1 + RELAY_ID_LENGTH).toString();
		const body = message.subarray(1 + RELAY_ID_LENGTH);
		const own = relay === this.relayId;
		switch (message[0]) {
			case ENTRY_MESSAGE: {
				const newline = body.indexOf(0x0a);
				const entry = body.subarray(0, newline).toString();
				handlers.entries([{ id: entry, update: own ? new Uint8Array(0) : new Uint8Array(body.subarray(newline + 1)), own }]);
				return;
			}
			case PRESENCE_MESSAGE:
				if (own) return;
				// Watched from now on, so its presence goes if it dies before its first heartbeat reaches us.
				if (!this.#relays.has(relay)) this.#relays.set(relay, Date.now());
				handlers.presence(new Uint8Array(body), relay);
				return;
			case QUERY_MESSAGE:
				if (!own) handlers.presenceQuery();
				return;
		}
	};
}
