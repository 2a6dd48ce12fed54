import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** First byte of a stored version: its encoding (room for another later). */
const DEFLATE_RAW = 0x01;

/** Largest state a stored version may inflate to: a bound against a damaged or forged record. */
export const MAX_VERSION_STATE_BYTES = 512 * 1024 * 1024;

/**
 * A version's state as stored: deflated at level 1, which takes a room's Yjs update to a third to a
 * fifth of its size (texts, ids and field names repeat; 2.7× in bench/history) for ~20 ms per MB, a fraction of what taking the
 * version costs anyway.
 */
export function encodeVersion(state: Uint8Array): Uint8Array {
	const packed = deflateRawSync(state, { level: 1 });
	const out = new Uint8Array(packed.byteLength + 1);
	out[0] = DEFLATE_RAW;
	out.set(packed, 1);
	return out;
}

/** A version read from the store (inflated), or the error of a record that is not one. */
export function decodeVersion(stored: Uint8Array): Uint8Array {
	if (stored[0] !== DEFLATE_RAW) throw new Error(`unknown version encoding ${stored[0]}`);
	return new Uint8Array(inflateRawSync(stored.subarray(1), { maxOutputLength: MAX_VERSION_STATE_BYTES }));
}
