import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRoomId } from '../../shared/ids';
import { equalBytes, keyCheckOf, type Access } from '../access/keys';
import { isOriginAllowed, type OriginPolicy } from '../access/origin';
import { clientAddress, type TrustProxy } from '../access/clientAddress';
import { isHostAllowed, type HostPolicy } from '../access/host';
import { keyFromRequest, selectProtocol } from '../access/requestKey';
import { upgradeHeaderLines } from '../access/securityHeaders';
import { AddressLimiter, DEFAULT_LIMITS, type Limits } from '../limits';
import type { Logger } from '../log';
import { RelayMetrics } from '../metrics';
import type { RoomStore } from '../persistence/RoomStore';
import { CloseCode } from './closeCodes';
import { Connection } from './Connection';
import type { Room } from './Room';
import type { SharedRooms } from './RoomShare';
import { Rooms, ServerFullError } from './Rooms';

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
}

interface Refusal {
	code: number;
	reason: string;
	/** Metric label. */
	label: string;
}

type Decision = { access: Access } | Refusal;

/** Counts of what the relay holds now, for /healthz. */
export interface RelayStats {
	rooms: number;
	connections: number;
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
	readonly #alive = new Map<WebSocket, boolean>();
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
		this.rooms = new Rooms({
			store: options.store,
			logger: options.logger,
			metrics: this.metrics,
			maxDocBytes: this.#limits.maxDocBytes,
			maxRoomsInMemory: this.#limits.maxRoomsInMemory,
			idleUnloadMs: options.idleUnloadMs ?? 30_000,
			compactAfterUpdates: options.compactAfterUpdates ?? 500,
			compactAfterBytes: options.compactAfterBytes ?? 1024 * 1024,
			shared: options.shared
		});
		this.#ping = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
		this.#ping.unref();
		this.#sweep = setInterval(() => this.#limiter.sweep(), 60_000);
		this.#sweep.unref();
	}

	/** Counts for /healthz. */
	stats(): RelayStats {
		return { rooms: this.rooms.size, connections: this.#alive.size };
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
		for (const ws of this.#alive.keys()) ws.close(CloseCode.goingAway, 'server shutting down');
		await this.rooms.unloadAll();
		for (const ws of this.#alive.keys()) ws.terminate();
		this.#wss.close();
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
				decision = await this.#authorize(roomId, keyFromRequest(request, url));
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
			this.#accept(ws, roomId, address, decision.access, release);
		});
	}

	async #authorize(roomId: string, key: string | null): Promise<Decision> {
		if (key === null || key === '') return { code: CloseCode.missingKey, reason: 'missing key', label: 'missing_key' };
		const presented = await keyCheckOf(key);
		if (presented === null) return { code: CloseCode.forbidden, reason: 'wrong key', label: 'wrong_key' };
		const { store } = this.#options;
		let record = await store.getRoom(roomId);
		if (record === null) {
			// Only an edit key may claim a room: a view key cannot be told from a random key of
			// the same length otherwise, and would lock the real owner out.
			if (presented.access === 'view') return { code: CloseCode.unknownRoom, reason: 'unknown room', label: 'unknown_room' };
			record = await store.claimRoom(roomId, presented.check, Date.now());
			this.#log.info({ room: roomId }, 'room claimed');
		}
		if (!equalBytes(presented.check, record.keyCheck)) return { code: CloseCode.forbidden, reason: 'wrong key', label: 'wrong_key' };
		return { access: presented.access };
	}

	#accept(ws: WebSocket, roomId: string, address: string, access: Access, release: () => void): void {
		const connection = new Connection(
			{ send: (frame) => ws.send(frame), close: (code, reason) => ws.close(code, reason) },
			access,
			address
		);
		const log = this.#log.child({ room: roomId, connection: connection.id });
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

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Answer an upgrade with a plain HTTP error on the raw socket, before any WebSocket exists. */
function rejectHttp(socket: Duplex, status: number, statusText: string, body: string): void {
	socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
