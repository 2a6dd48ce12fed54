/**
 * How the app hands the relay its room key without putting it in the URL, where proxies log it:
 * as a WebSocket subprotocol, `Sec-WebSocket-Protocol: refinery, key.<key>`. The relay answers
 * with the plain `refinery`, so the key is never echoed. Stock y-websocket clients keep `?key=`.
 */
export const SYNC_SUBPROTOCOL = 'refinery';

const KEY_PREFIX = 'key.';

/**
 * Offered by a client that holds no copy of the room (a first visit): the relay sends the whole
 * room right after its sync step 1, without waiting for the client's, so the rows are on their
 * way while the page is still starting (one round trip less for everyone opening a shared link).
 */
export const FRESH_SUBPROTOCOL = 'fresh';

/**
 * The protocols a client offers for a key; `fresh` when it has no copy of the room yet.
 * @example syncProtocols(editKey) // ['refinery', 'key.…']
 */
export function syncProtocols(key: string, { fresh = false }: { fresh?: boolean } = {}): string[] {
	return fresh ? [SYNC_SUBPROTOCOL, KEY_PREFIX + key, FRESH_SUBPROTOCOL] : [SYNC_SUBPROTOCOL, KEY_PREFIX + key];
}

/** The key among offered protocols, or null. */
export function keyFromProtocols(protocols: Iterable<string>): string | null {
	for (const protocol of protocols) if (protocol.startsWith(KEY_PREFIX)) return protocol.slice(KEY_PREFIX.length);
	return null;
}
