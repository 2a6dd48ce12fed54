/**
 * The little a room needs from a socket. Rooms never see `ws` types, so they can be driven
 * by any transport (and a room's logic does not change when the socket library does).
 */
export interface RelaySocket {
	send(frame: Uint8Array): void;
	/**
	 * Optional: write a message already framed for the wire (`binaryFrame`), as it is. A
	 * broadcast is framed once for all its recipients. Dropped if the socket is not open.
	 */
	sendFramed?(wire: Buffer): void;
	close(code: number, reason: string): void;
	/** Drop the connection at once, without a closing handshake. */
	terminate(): void;
	/** Bytes queued for sending and not yet handed to the network. */
	readonly bufferedAmount: number;
}
