/**
 * The room's socket, opened when the app starts rather than when the room mounts: the relay's
 * answer (a new device's whole room) then travels while the page's code loads and the room
 * mounts, instead of after. y-websocket takes it through `EarlyOrNewSocket`, its
 * `WebSocketPolyfill`, and gets what arrived meanwhile as if it had been listening all along.
 * It is one connection either way: the provider never opens a second one for the same room.
 */

const EVENTS = ['open', 'message', 'error', 'close'] as const;
/** An early socket nobody took by then (the person still typing a name, say) is closed. */
export const EARLY_SOCKET_STALE_MS = 10_000;

interface Early {
	socket: WebSocket;
	url: string;
	protocols: string[];
	/** Events that arrived before the provider took the socket, in order. */
	events: Event[];
	keep: (event: Event) => void;
	timer: ReturnType<typeof setTimeout>;
}

let early: Early | null = null;
/** Sockets handed over by `takeEarlySocket` (for the browser tests' check, through the room's test handle). */
const taken = new WeakSet<WebSocket>();

/** True if this socket is one the app opened at start and a provider took. */
export function wasOpenedEarly(socket: WebSocket | null): boolean {
	return socket !== null && taken.has(socket);
}

/** Open `url` now, keeping what arrives until `takeEarlySocket` asks for the same url and protocols. */
export function openEarlySocket(url: string, protocols: string[], { staleMs = EARLY_SOCKET_STALE_MS, WebSocketClass = WebSocket } = {}): void {
	dropEarlySocket();
	const socket = new WebSocketClass(url, protocols);
	// y-websocket reads binary messages as ArrayBuffers: set before any can arrive.
	socket.binaryType = 'arraybuffer';
	const events: Event[] = [];
	const keep = (event: Event) => events.push(event);
	for (const type of EVENTS) socket.addEventListener(type, keep);
	const timer = setTimeout(dropEarlySocket, staleMs);
	early = { socket, url, protocols: [...protocols], events, keep, timer };
}

/** The early socket, no longer waiting: its timer stopped and its events no longer kept. */
function release(): Early | null {
	const found = early;
	early = null;
	if (!found) return null;
	clearTimeout(found.timer);
	for (const type of EVENTS) found.socket.removeEventListener(type, found.keep);
	return found;
}

/** Close the early socket if nobody took it. */
export function dropEarlySocket(): void {
	const found = release();
	if (!found) return;
	// Closing a socket still connecting reports an error, which nobody needs to hear.
	found.socket.onerror = () => {};
	found.socket.close();
}

/**
 * The early socket if it was opened for exactly this url and these protocols, else null (and
 * it is closed: it was for another room or key). Its events so far are handed to the `on…`
 * handlers the caller sets in the same task, in order and before any later event.
 */
export function takeEarlySocket(url: string, protocols: string | string[] | undefined): WebSocket | null {
	if (!early) return null;
	const wanted = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : protocols;
	if (early.url !== url || early.protocols.length !== wanted.length || early.protocols.some((protocol, i) => protocol !== wanted[i])) {
		dropEarlySocket();
		return null;
	}
	const found = release()!;
	taken.add(found.socket);
	// A microtask runs before the next event's task, so nothing overtakes what is replayed here.
	queueMicrotask(() => {
		for (const event of found.events) {
			const handler = found.socket[`on${event.type}` as 'onopen'] as ((this: WebSocket, event: Event) => void) | null;
			handler?.call(found.socket, event);
		}
	});
	return found.socket;
}

/** For y-websocket's `WebSocketPolyfill`: the early socket when it is the one asked for, else a new one. */
export const EarlyOrNewSocket = function (url: string, protocols?: string | string[]): WebSocket {
	return takeEarlySocket(url, protocols) ?? new WebSocket(url, protocols);
} as unknown as typeof WebSocket;
