import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRoomId } from '../../shared/ids';
import { equalBytes, keyCheckOf, type Access } from '../access/keys';
import { isOriginAllowed, type OriginPolicy } from '../access/origin';
import { clientAddress, type TrustProxy } from '../access/clientAddress';
import { isHostAllowed, type HostPolicy } from '../access/host';
import { keyFromRequest, selectProtocol, wantsWholeRoom } from '../access/requestKey';
import { upgradeHeaderLines } from '../access/securityHeaders';
import { AddressLimiter, DEFAULT_LIMITS, HourlyQuota, type Limits } from '../limits';
import type { Logger } from '../log';
import { RelayMetrics } from '../metrics';
import type { RoomStore } from '../persistence/RoomStore';
import { CloseCode } from './closeCodes';
import { Connection } from './Connection';
import type { DiskBudget } from './DiskBudget';
import { GarbageCollector, type CollectionPolicy } from './GarbageCollector';
import { MergeWorker, type MergeBudget } from './MergeWorker';
import type { Refusal as RoomRefusal, Room } from './Room';
import type { SharedRooms } from './RoomShare';
import { Rooms, ServerFullError } from './Rooms';
import { SendBudget } from './SendBudget';
import { warmUpdateReader } from './warmUp';

export const SYNC_PATH = '/sync/';

export interface RelayOptions {
	store: RoomStore;
	logger: Logger;
	metrics?: RelayMetrics;
	limits?: Partial<Limits>;
	allowedOrigins?: OriginPolicy;
	/** Host headers answered; others are refused with HTTP 421 before the upgrade (DNS rebinding). */
	allowedHosts?: HostPolicy;
	/** Proxies believed about the client's address, for the per-address limits (TRUST_PROXY). */
	trustProxy?: TrustProxy;
	idleUnloadMs?: number;
	pingIntervalMs?: number;
	compactAfterUpdates?: number;
	compactAfterBytes?: number;
	/** Rooms shared with other relay processes (REDIS_URL); `store` is then the shared store too. */
	shared?: SharedRooms;
	/** Time and heap budget of one merge in the merge worker (and of one garbage collection in its own). */
	mergeBudget?: Partial<MergeBudget>;
	/** When rooms are garbage collected (docs/RELAY.md, Garbage collection). */
	collection?: Partial<CollectionPolicy>;
	/** The total disk budget (MAX_DISK_BYTES); none if absent. */
	diskBudget?: DiskBudget;
	/** How often rooms in memory are checked for having been deleted from the store (rooms CLI). */
	deletedCheckMs?: number;
	/** Is this upgrade the operator's (server/access/adminToken.ts)? It then edits any existing room without its key. */
	isAdmin?: (request: IncomingMessage) => boolean;
}

interface Refusal {
	code: number;
	reason: string;
	/** Metric label. */
	label: string;
}

type Decision = { access: Access } | Refusal;

/** The disk budget is used up: retried by clients, which keep their changes until it is not. */
const STORAGE_FULL: Refusal = { code: CloseCode.storageFull, reason: 'storage full', label: 'storage_full' };

/** Counts of what the relay holds now, for /healthz. */
export interface RelayStats {
	rooms: number;
	connections: number;
	/** Bytes of rooms held in memory. */
	roomBytes: number;
}

/** Whether the relay can serve: false when its store cannot be read or written. */
export interface RelayHealth {
	ok: boolean;
	reason?: string;
}

/**
 * The relay: turns upgrade requests on `/sync/<roomId>` into room connections. It owns the
 * checks done before a socket joins a room (room id, rate, origin, key) and the `ws` sockets;
 * rooms themselves only see Connection and RelaySocket.
 */
export class Relay {
	readonly metrics: RelayMetrics;
	readonly rooms: Rooms;
	readonly #options: RelayOptions;
	readonly #limits: Limits;
	readonly #log: Logger;
	readonly #wss: WebSocketServer;
	readonly #limiter: AddressLimiter;
	readonly #roomQuota: HourlyQuota;
	readonly #byteQuota: HourlyQuota;
	readonly #merger: MergeWorker;
	readonly #collector: GarbageCollector;
	readonly #deletedCheck: NodeJS.Timeout;
	/** The last store write failed (and none succeeded since). */
	#storeFailing: unknown = null;
	readonly #alive = new Map<WebSocket, boolean>();
	readonly #sendBudget: SendBudget;
	readonly #ping: NodeJS.Timeout;
	readonly #sweep: NodeJS.Timeout;
	#closing = false;

	constructor(options: RelayOptions) {
		this.#options = options;
		this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
		this.#log = options.logger;
		this.metrics = options.metrics ?? new RelayMetrics();
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#limits.maxFrameBytes, perMessageDeflate: false, handleProtocols: selectProtocol });
		this.#wss.on('headers', (headers) => headers.push(...upgradeHeaderLines()));
		this.#limiter = new AddressLimiter(this.#limits);
		this.#sendBudget = new SendBudget(this.#limits.maxQueuedBytesTotal);
		this.#roomQuota = new HourlyQuota(this.#limits.maxRoomsPerAddressPerHour);
		this.#byteQuota = new HourlyQuota(this.#limits.maxBytesPerAddressPerHour);
		this.#merger = new MergeWorker(options.mergeBudget);
		this.#merger.start();
		// A worker of its own, started at the first collection: a collection running to its budget never delays other rooms' merges.
		this.#collector = new GarbageCollector(new MergeWorker(options.mergeBudget), options.collection);
		warmUpdateReader();
		const limits = this.#limits;
		this.rooms = new Rooms({
			store: options.store,
			onStore: (error) => {
				this.#storeFailing = error;
			},
			logger: options.logger,
			metrics: this.metrics,
			merger: this.#merger,
			collector: this.#collector,
			maxDocBytes: limits.maxDocBytes,
			updateBudget: { maxStructs: limits.maxStructsPerUpdate, maxClients: limits.maxClientsPerUpdate, maxDepth: limits.maxNestingDepth },
			maxClientsPerRoom: limits.maxClientsPerRoom,
			maxPendingBytes: limits.maxPendingBytesPerConnection,
			presenceBudget: {
				maxStateBytes: limits.maxPresenceStateBytes,
				maxStateDepth: limits.maxNestingDepth,
				maxClientsPerConnection: limits.maxPresenceClientsPerConnection
			},
			admit: (connection, bytes) => this.#admit(connection, bytes),
			maxRoomsInMemory: limits.maxRoomsInMemory,
			maxRoomBytesInMemory: limits.maxRoomBytesInMemory,
			idleUnloadMs: options.idleUnloadMs ?? 30_000,
			compactAfterUpdates: options.compactAfterUpdates ?? 500,
			compactAfterBytes: options.compactAfterBytes ?? 1024 * 1024,
			shared: options.shared
		});
		this.#ping = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
		this.#ping.unref();
		this.#sweep = setInterval(() => {
			this.#limiter.sweep();
			this.#roomQuota.sweep();
			this.#byteQuota.sweep();
		}, 60_000);
		this.#sweep.unref();
		this.#deletedCheck = setInterval(() => void this.#closeDeletedRooms(), options.deletedCheckMs ?? 1000);
		this.#deletedCheck.unref();
	}

	/** Counts for /healthz. */
	stats(): RelayStats {
		return { rooms: this.rooms.size, connections: this.#alive.size, roomBytes: this.rooms.bytes };
	}

	/**
	 * Whether the store can be read and written: a read of the registry must succeed, and the
	 * last write must not have failed (a write that fails sets this until one succeeds). For
	 * /healthz, which answers 503 when not ok.
	 */
	async health(): Promise<RelayHealth> {
		try {
			await this.#options.store.getRoom('AAAAAAAAAAAAAAAAAAAAAA');
		} catch (error) {
			return { ok: false, reason: `store cannot be read: ${error instanceof Error ? error.message : String(error)}` };
		}
		if (this.#storeFailing !== null) {
			const error = this.#storeFailing;
			return { ok: false, reason: `store cannot be written: ${error instanceof Error ? error.message : String(error)}` };
		}
		return { ok: true };
	}

	/**
	 * Close the connections of a deleted room (4410) and drop it from memory, without a flush.
	 * The store refuses to claim its id again; this is how a delete by the rooms CLI, another
	 * process, reaches connections this relay holds.
	 */
	async deleteRoom(id: string): Promise<void> {
		const room = this.rooms.get(id);
		if (!room) return;
		this.#log.info({ room: id, connections: room.connections.size }, 'room deleted: closing its connections');
		room.closeAll(CloseCode.roomDeleted, 'room deleted');
		await this.rooms.discard(id);
	}

	async #closeDeletedRooms(): Promise<void> {
		for (const room of [...this.rooms.values()]) {
			if (room.state !== 'open') continue;
			try {
				if ((await this.#options.store.getRoom(room.id)) === null) await this.deleteRoom(room.id);
			} catch {
				// The store is unreachable: /healthz says so; nothing to decide here.
			}
		}
	}

	/** Quotas checked before an update is stored (rooms see only the refusal). */
	#admit(connection: Connection, bytes: number): RoomRefusal | null {
		if (this.#options.diskBudget && !this.#options.diskBudget.take(bytes)) return STORAGE_FULL;
		if (!this.#byteQuota.take(connection.address, bytes)) {
			return { code: CloseCode.tooManyConnections, reason: 'bytes per hour used up', label: 'bytes_per_hour' };
		}
		return null;
	}

	/**
	 * Handle an HTTP upgrade if it is for the relay; returns false for other paths (so a
	 * dev server's own upgrades, such as Vite's HMR socket, pass through untouched).
	 */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(request.url ?? '/', 'http://relay');
		if (!url.pathname.startsWith(SYNC_PATH)) return false;
		void this.#upgrade(request, socket, head, url).catch((error) => {
			this.#log.error({ err: error }, 'upgrade failed');
			socket.destroy();
		});
		return true;
	}

	/** Close every connection (1001), flush every room to the store, stop timers. */
	async close(): Promise<void> {
		if (this.#closing) return;
		this.#closing = true;
		clearInterval(this.#ping);
		clearInterval(this.#sweep);
		clearInterval(this.#deletedCheck);
		for (const ws of this.#alive.keys()) ws.close(CloseCode.goingAway, 'server shutting down');
		await this.rooms.unloadAll();
		for (const ws of this.#alive.keys()) ws.terminate();
		this.#wss.close();
		await this.#merger.close();
		await this.#collector.close();
	}

	async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
		const roomId = url.pathname.slice(SYNC_PATH.length);
		if (this.#closing) return rejectHttp(socket, 503, 'Service Unavailable', 'server shutting down');
		if (!isHostAllowed(request.headers.host, this.#options.allowedHosts ?? '*')) return rejectHttp(socket, 421, 'Misdirected Request', 'host not allowed');
		if (!isRoomId(roomId)) {
			this.metrics.rejectedConnections.inc({ reason: 'malformed_room_id' });
			this.#log.info({ path: url.pathname }, 'malformed room id');
			return rejectHttp(socket, 400, 'Bad Request', 'malformed room id');
		}
		const address = clientAddress(request, this.#options.trustProxy ?? null);
		let holdsSlot = false;
		let decision: Decision;
		if (!this.#limiter.attempt(address)) {
			decision = { code: CloseCode.tooManyConnections, reason: 'too many connection attempts', label: 'attempt_rate' };
		} else if (!isOriginAllowed(request.headers.origin, request.headers.host, this.#options.allowedOrigins ?? [])) {
			decision = { code: CloseCode.originNotAllowed, reason: 'origin not allowed', label: 'origin' };
		} else if (!this.#limiter.open(address)) {
			decision = { code: CloseCode.tooManyConnections, reason: 'too many connections', label: 'connections_per_address' };
		} else {
			holdsSlot = true;
			try {
				decision = this.#options.isAdmin?.(request)
					? (await this.#options.store.getRoom(roomId)) ? { access: 'edit' } : { code: CloseCode.unknownRoom, reason: 'unknown room', label: 'unknown_room' }
					: await this.#authorize(roomId, keyFromRequest(request, url), address);
			} catch (error) {
				// The registry is out of reach (Redis restarting, say): refuse with a code clients retry on.
				this.#log.warn({ room: roomId, err: error }, 'could not check the key');
				decision = { code: CloseCode.internalError, reason: 'storage unavailable', label: 'storage_unavailable' };
			}
		}
		let upgraded = false;
		const release = () => {
			if (holdsSlot) this.#limiter.release(address);
			holdsSlot = false;
		};
		socket.once('close', () => {
			if (!upgraded) release();
		});
		this.#wss.handleUpgrade(request, socket, head, (ws) => {
			upgraded = true;
			if ('code' in decision) {
				release();
				this.metrics.rejectedConnections.inc({ reason: decision.label });
				this.#log.info({ room: roomId, address, code: decision.code }, decision.reason);
				ws.close(decision.code, decision.reason);
				return;
			}
			this.#accept(ws, roomId, address, decision.access, release, wantsWholeRoom(request));
		});
	}

	async #authorize(roomId: string, key: string | null, address: string): Promise<Decision> {
		if (key === null || key === '') return { code: CloseCode.missingKey, reason: 'missing key', label: 'missing_key' };
		const presented = await keyCheckOf(key);
		if (presented === null) return { code: CloseCode.forbidden, reason: 'wrong key', label: 'wrong_key' };
		const { store } = this.#options;
		let record = await store.getRoom(roomId);
		if (record === null) {
			// Only an edit key may claim a room: a view key cannot be told from a random key of
			// the same length otherwise, and would lock the real owner out.
			if (presented.access === 'view') return { code: CloseCode.unknownRoom, reason: 'unknown room', label: 'unknown_room' };
			if (await store.isDeleted(roomId)) return { code: CloseCode.roomDeleted, reason: 'room deleted', label: 'room_deleted' };
			if (this.#options.diskBudget?.full()) return STORAGE_FULL;
			if (!this.#roomQuota.take(address)) return { code: CloseCode.tooManyConnections, reason: 'rooms per hour used up', label: 'rooms_per_hour' };
			record = await store.claimRoom(roomId, presented.check, Date.now());
			this.#log.info({ room: roomId }, 'room claimed');
		}
		if (!equalBytes(presented.check, record.keyCheck)) return { code: CloseCode.forbidden, reason: 'wrong key', label: 'wrong_key' };
		return { access: presented.access };
	}

	#accept(ws: WebSocket, roomId: string, address: string, access: Access, release: () => void, fresh = false): void {
		const connection = new Connection(
			{
				send: (frame) => ws.send(frame),
				sendFramed: (wire) => {
					// Straight to ws's socket (ws 8 keeps it as _socket): in order with ws's own writes,
					// since without compression ws writes every message at once and never queues one,
					// and counted in bufferedAmount, which reads the socket's queue. Dropped once a
					// close has begun, as ws.send drops it.
					if (ws.readyState === ws.OPEN) (ws as unknown as WithSocket)._socket.write(wire);
				},
				close: (code, reason) => ws.close(code, reason),
				terminate: () => ws.terminate(),
				get bufferedAmount() {
					return ws.bufferedAmount;
				}
			},
			access,
			address,
			this.#limits.maxQueuedBytesPerConnection
		);
		connection.fresh = fresh;
		const log = this.#log.child({ room: roomId, connection: connection.id });
		connection.onSlow = () => {
			this.metrics.rejectedConnections.inc({ reason: 'not_reading' });
			log.warn({ address, queued: ws.bufferedAmount }, 'not reading: dropped');
		};
		connection.sendBudget = this.#sendBudget;
		this.#sendBudget.add(connection);
		this.#alive.set(ws, true);
		this.metrics.connections.inc();
		let room: Room | null = null;
		const early: Uint8Array[] = [];
		ws.on('message', (data: RawData, isBinary: boolean) => {
			const frame = toBytes(data);
			this.metrics.messagesIn.inc();
			this.metrics.bytesIn.inc(frame.byteLength);
			if (connection.closed) return;
			if (!isBinary) {
				log.warn({ address }, 'text frame');
				this.metrics.rejectedConnections.inc({ reason: 'malformed_message' });
				connection.close(CloseCode.malformedMessage, 'malformed message');
			} else if (room) room.receive(connection, frame);
			else early.push(frame);
		});
		ws.on('pong', () => this.#alive.set(ws, true));
		ws.on('error', (error: Error & { code?: string }) => {
			if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
				this.metrics.rejectedConnections.inc({ reason: 'frame_too_large' });
				log.warn({ address, limit: this.#limits.maxFrameBytes }, 'frame too large');
			} else {
				log.info({ address, err: error }, 'socket error');
			}
		});
		ws.on('close', () => {
			connection.closed = true;
			this.#sendBudget.delete(connection);
			this.#alive.delete(ws);
			this.metrics.connections.dec();
			release();
			room?.leave(connection);
		});
		this.rooms.join(roomId, connection).then(
			(joined) => {
				room = joined;
				if (connection.closed) return joined.leave(connection);
				for (const frame of early) joined.receive(connection, frame);
				early.length = 0;
			},
			(error) => {
				if (!(error instanceof ServerFullError)) throw error;
				this.metrics.rejectedConnections.inc({ reason: 'server_full' });
				log.warn({ address, rooms: this.rooms.size }, 'server full');
				connection.close(CloseCode.serverFull, 'server full');
			}
		).catch((error) => {
			log.error({ err: error }, 'join failed');
			connection.close(CloseCode.internalError, 'join failed');
		});
	}

	#pingAll(): void {
		for (const [ws, alive] of this.#alive) {
			// No pong since the last ping: the peer is gone without a close (sleep, lost network).
			if (!alive) {
				ws.terminate();
				continue;
			}
			this.#alive.set(ws, false);
			ws.ping();
		}
	}
}

/** Create a relay; wire it to a server with `attachRelay` or call `handleUpgrade` yourself. */
export function createRelay(options: RelayOptions): Relay {
	return new Relay(options);
}

/** Create a relay and handle `/sync/` upgrades of an HTTP server (ours, or Vite's in dev). */
export function attachRelay(server: Server, options: RelayOptions): Relay {
	const relay = createRelay(options);
	server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		relay.handleUpgrade(request, socket, head);
	});
	return relay;
}

/** `ws`'s socket, which it does not expose (see `sendFramed` in #accept). */
interface WithSocket {
	_socket: Duplex;
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Answer an upgrade with a plain HTTP error on the raw socket, before any WebSocket exists. */
function rejectHttp(socket: Duplex, status: number, statusText: string, body: string): void {
	socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
