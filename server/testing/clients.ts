import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { deriveViewKey } from '../access/keys';
import { newRoomId } from '../../shared/ids';

/** A new room: id, edit key and view key. */
export async function newRoom(): Promise<{ roomId: string; editKey: string; viewKey: string }> {
	const editKey = newRoomId();
	return { roomId: newRoomId(), editKey, viewKey: await deriveViewKey(editKey) };
}

/** A stock y-websocket client, as a browser tab would make it (Node `ws` as the socket). */
export function connectClient(syncUrl: string, roomId: string, key: string | null, doc = new Y.Doc()): WebsocketProvider {
	return new WebsocketProvider(syncUrl, roomId, doc, {
		params: key === null ? {} : { key },
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 200
	});
}

/** Resolve when `check` is true (polled), reject after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** Resolve once the provider has completed a sync with the relay. */
export function synced(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
	return waitFor(() => provider.synced, timeoutMs, 'sync');
}

/** What a raw socket saw: every frame, and how it was closed. */
export interface RawSession {
	frames: Buffer[];
	closeCode: number | null;
	closeReason: string;
	/** HTTP status when the upgrade was refused. */
	httpStatus: number | null;
	socket: WebSocket;
	closed: Promise<void>;
}

/** Open a raw socket that records every frame it receives (no protocol handling), offering `protocols`. */
export function rawSession(url: string, { protocols = [], ...options }: WebSocket.ClientOptions & { protocols?: string[] } = {}): RawSession {
	const socket = new WebSocket(url, protocols, options);
	const session: RawSession = { frames: [], closeCode: null, closeReason: '', httpStatus: null, socket, closed: Promise.resolve() };
	session.closed = new Promise((resolve) => {
		socket.on('message', (data) => session.frames.push(data as Buffer));
		socket.on('unexpected-response', (_request, response) => {
			session.httpStatus = response.statusCode ?? null;
			response.resume();
			socket.terminate();
		});
		socket.on('error', () => {});
		socket.on('close', (code, reason) => {
			session.closeCode = code;
			session.closeReason = reason.toString();
			resolve();
		});
	});
	return session;
}
