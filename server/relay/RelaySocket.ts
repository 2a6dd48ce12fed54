/**
 * The little a room needs from a socket. Rooms never see `ws` types, so they can be driven
 * by any transport (and a room's logic does not change when the socket library does).
 */
export interface RelaySocket {
	send(frame: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Drop the connection at once, without a closing handshake. */
	terminate(): void;
	/** Bytes queued for sending and not yet handed to the network. */
	readonly bufferedAmount: number;
}
