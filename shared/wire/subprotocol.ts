/**
 * How the app hands the relay its room key without putting it in the URL, where proxies log it:
 * as a WebSocket subprotocol, `Sec-WebSocket-Protocol: refinery, key.<key>`. The relay answers
 * with the plain `refinery`, so the key is never echoed. Stock y-websocket clients keep `?key=`.
 */
export const SYNC_SUBPROTOCOL = 'refinery';

const KEY_PREFIX = 'key.';

/** The protocols a client offers for a key. @example syncProtocols(editKey) // ['refinery', 'key.…'] */
export function syncProtocols(key: string): string[] {
	return [SYNC_SUBPROTOCOL, KEY_PREFIX + key];
}

/** The key among offered protocols, or null. */
export function keyFromProtocols(protocols: Iterable<string>): string | null {
	for (const protocol of protocols) if (protocol.startsWith(KEY_PREFIX)) return protocol.slice(KEY_PREFIX.length);
	return null;
}
