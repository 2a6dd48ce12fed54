/**
 * One binary WebSocket message as it goes on the wire from a server (RFC 6455 §5.2: FIN,
 * opcode 2, no mask, then the payload). A broadcast is framed once and the same bytes are
 * written to every recipient's socket, in one write each, instead of `ws` framing it again for
 * each of them (a header allocated, the socket corked, two writes and an uncork per recipient).
 */
export function binaryFrame(payload: Uint8Array): Buffer {
	const length = payload.byteLength;
	const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
	const frame = Buffer.allocUnsafe(headerBytes + length);
	frame[0] = 0x82;
	if (length < 126) {
		frame[1] = length;
	} else if (length < 65536) {
		frame[1] = 126;
		frame.writeUInt16BE(length, 2);
	} else {
		frame[1] = 127;
		frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
		frame.writeUInt32BE(length >>> 0, 6);
	}
	frame.set(payload, headerBytes);
	return frame;
}
