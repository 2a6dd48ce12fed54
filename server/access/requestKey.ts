import type { IncomingMessage } from 'node:http';
import { FRESH_SUBPROTOCOL, keyFromProtocols, SYNC_SUBPROTOCOL } from '../../shared/wire/subprotocol';

/** The offered subprotocols of an upgrade request. */
function offeredProtocols(request: IncomingMessage): string[] {
	const header = request.headers['sec-websocket-protocol'];
	return (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * The room key of an upgrade request: from the `key.<key>` subprotocol (the app; proxies do
 * not log it) or else from `?key=` (stock y-websocket clients; proxies log URLs).
 */
export function keyFromRequest(request: IncomingMessage, url: URL): string | null {
	return keyFromProtocols(offeredProtocols(request)) ?? url.searchParams.get('key');
}

/** True when the app says it has no copy of the room yet (`fresh` beside `refinery`): send it the whole room at once. */
export function wantsWholeRoom(request: IncomingMessage): boolean {
	const offered = offeredProtocols(request);
	return offered.includes(SYNC_SUBPROTOCOL) && offered.includes(FRESH_SUBPROTOCOL);
}

/**
 * ws's `handleProtocols`: answer `refinery` when offered, never the key. A client that offers
 * protocols but gets none back must fail the connection, so the app always offers `refinery`.
 */
export function selectProtocol(protocols: Set<string>): string | false {
	return protocols.has(SYNC_SUBPROTOCOL) ? SYNC_SUBPROTOCOL : false;
}
