import { InvalidInputError, RefineryError } from '../doc';

/**
 * Sealed votes: a card encrypted with AES-GCM under a fresh key that only the voter's
 * device holds until the reveal. The document (and so every peer, the relay and its
 * database) sees only the ciphertext and a commitment to the key. See docs/POKER.md.
 *
 * Web Crypto only (`globalThis.crypto.subtle`): the same code runs in browsers and Node 20.
 */

/** What goes into the document while voting: nothing here reveals the card. */
export interface Sealed {
	/** "v1." + base64url(iv ‖ AES-GCM ciphertext of the padded card). */
	ciphertext: string;
	/** base64url(SHA-256(context ‖ key)): binds the voter to one key, so one plaintext. */
	commitment: string;
}

/** Who a sealed vote belongs to; bound into the ciphertext, so a vote cannot be replayed elsewhere. */
export interface SealContext {
	roundId: string;
	voterId: string;
}

/** A key that does not match the vote's commitment, or a ciphertext that does not decrypt. */
export class SealBrokenError extends RefineryError {
	override name = 'SealBrokenError';
	constructor(readonly reason: 'commitment' | 'ciphertext' | 'format') {
		super(
			reason === 'commitment'
				? 'The published key does not match the sealed vote'
				: reason === 'ciphertext'
					? 'The sealed vote does not decrypt with its key'
					: 'The sealed vote is damaged'
		);
	}
}

const VERSION = 'v1.';
/**
 * Every card is padded to this many bytes before encryption, so the ciphertext's length
 * never tells "1" from "100" or "pass". A card is at most 8 characters (4 UTF-8 bytes each).
 */
export const SEALED_CARD_BYTES = 40;
const IV_BYTES = 12;
const KEY_BYTES = 32;

const subtle = () => {
	const s = globalThis.crypto?.subtle;
	// Web Crypto exists only in secure contexts (https or localhost); say so rather than fail oddly.
	if (!s) throw new InvalidInputError('Sealed votes need Web Crypto (open the room over https or on localhost)');
	return s;
};

/** base64url without padding, from bytes. */
export function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes from base64url; SealBrokenError('format') for anything else. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SealBrokenError('format');
	let binary: string;
	try {
		binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
	} catch {
		throw new SealBrokenError('format');
	}
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

const encoder = new TextEncoder();

function additionalData({ roundId, voterId }: SealContext): Uint8Array<ArrayBuffer> {
	return encoder.encode(`refinery-vote-v1\u0000${roundId}\u0000${voterId}`);
}

function pad(card: string): Uint8Array<ArrayBuffer> {
	const bytes = encoder.encode(card);
	if (bytes.length === 0 || bytes.length >= SEALED_CARD_BYTES) throw new InvalidInputError(`A card to seal has 1 to ${SEALED_CARD_BYTES - 1} bytes`);
	const padded = new Uint8Array(SEALED_CARD_BYTES);
	padded[0] = bytes.length;
	padded.set(bytes, 1);
	return padded;
}

function unpad(padded: Uint8Array): string {
	const length = padded[0];
	if (padded.length !== SEALED_CARD_BYTES || !length || length >= SEALED_CARD_BYTES) throw new SealBrokenError('format');
	return new TextDecoder('utf-8', { fatal: true }).decode(padded.subarray(1, 1 + length));
}

/** The commitment to a key for one voter in one round. */
export async function commitmentOf(key: string, context: SealContext): Promise<string> {
	const ad = additionalData(context);
	const raw = fromBase64Url(key);
	const both = new Uint8Array(ad.length + raw.length);
	both.set(ad);
	both.set(raw, ad.length);
	return toBase64Url(new Uint8Array(await subtle().digest('SHA-256', both)));
}

/**
 * Seal a card: a fresh random key and IV, the padded card encrypted with AES-GCM. The key
 * must stay on this device until the reveal; only `sealed` goes into the document.
 * @example const { sealed, key } = await sealCard('5', { roundId, voterId })
 */
export async function sealCard(card: string, context: SealContext): Promise<{ sealed: Sealed; key: string }> {
	const raw = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const cryptoKey = await subtle().importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
	const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(context) }, cryptoKey, pad(card)));
	const body = new Uint8Array(IV_BYTES + ct.length);
	body.set(iv);
	body.set(ct, IV_BYTES);
	const key = toBase64Url(raw);
	return { sealed: { ciphertext: VERSION + toBase64Url(body), commitment: await commitmentOf(key, context) }, key };
}

/**
 * Open a sealed vote with its published key: the key must match the commitment and the
 * ciphertext must decrypt (AES-GCM checks it was not altered, and for this round and voter).
 * Throws SealBrokenError otherwise.
 */
export async function openSealed(sealed: Sealed, key: string, context: SealContext): Promise<string> {
	if (!sealed.ciphertext.startsWith(VERSION)) throw new SealBrokenError('format');
	const raw = fromBase64Url(key);
	if (raw.length !== KEY_BYTES) throw new SealBrokenError('commitment');
	if ((await commitmentOf(key, context)) !== sealed.commitment) throw new SealBrokenError('commitment');
	const body = fromBase64Url(sealed.ciphertext.slice(VERSION.length));
	if (body.length <= IV_BYTES) throw new SealBrokenError('format');
	const cryptoKey = await subtle().importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
	let plain: ArrayBuffer;
	try {
		plain = await subtle().decrypt({ name: 'AES-GCM', iv: body.subarray(0, IV_BYTES), additionalData: additionalData(context) }, cryptoKey, body.subarray(IV_BYTES));
	} catch {
		throw new SealBrokenError('ciphertext');
	}
	try {
		return unpad(new Uint8Array(plain));
	} catch {
		throw new SealBrokenError('format');
	}
}
