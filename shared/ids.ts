/** Random ids, made on the client so that rooms and items can be created offline. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
	}
	const rest = bytes.length - i;
	if (rest === 1) {
		const n = bytes[i] << 16;
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
	} else if (rest === 2) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
	}
	return out;
}

/** Decode base64url without padding; returns null for anything malformed. */
export function fromBase64Url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
	const out = new Uint8Array(Math.floor((text.length * 3) / 4));
	let bits = 0;
	let value = 0;
	let o = 0;
	for (const ch of text) {
		value = (value << 6) | ALPHABET.indexOf(ch);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (value >> bits) & 255;
		}
	}
	// Trailing bits must be zero, or two spellings would name the same bytes.
	if ((value & ((1 << bits) - 1)) !== 0) return null;
	return out;
}

export function randomBytes(length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	globalThis.crypto.getRandomValues(bytes);
	return bytes;
}

/** 128 random bits as 22 base64url characters: room ids and edit keys. */
export function newRoomId(): string {
	return toBase64Url(randomBytes(16));
}

/** 96 random bits as 16 base64url characters: items, criteria, rounds. */
export function newId(): string {
	return toBase64Url(randomBytes(12));
}

/** A room id is exactly 128 bits in base64url. */
export function isRoomId(text: string): boolean {
	return text.length === 22 && fromBase64Url(text) !== null;
}
