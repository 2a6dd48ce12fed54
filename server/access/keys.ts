import { fromBase64Url, toBase64Url } from '../../shared/ids';

/**
 * Room keys. Pure code on Web Crypto so the web app can import it too.
 *
 * An edit key is 128 random bits (22 base64url characters) made by the client.
 * A view key is derived one way from it and is 144 bits (24 characters): the
 * different length lets the relay tell which kind it was given, so a view key
 * presented to a room nobody has claimed yet cannot claim it.
 * The relay stores only `keyCheck(viewKey)`, which checks both kinds.
 */

export const EDIT_KEY_LENGTH = 22;
export const VIEW_KEY_LENGTH = 24;
const VIEW_KEY_BYTES = 18;

export type Access = 'edit' | 'view';

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
	return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** True for a well-formed edit key (22 base64url characters, 128 bits). */
export function isEditKey(text: string): boolean {
	return text.length === EDIT_KEY_LENGTH && fromBase64Url(text) !== null;
}

/** True for a well-formed view key (24 base64url characters, 144 bits). */
export function isViewKey(text: string): boolean {
	return text.length === VIEW_KEY_LENGTH && fromBase64Url(text) !== null;
}

/** The kind of a well-formed key, or null for anything else. */
export function keyKind(text: string): Access | null {
	return isEditKey(text) ? 'edit' : isViewKey(text) ? 'view' : null;
}

/** The view key of an edit key: base64url of the first 18 bytes of SHA-256("refinery-view-key:" + editKey). */
export async function deriveViewKey(editKey: string): Promise<string> {
	return toBase64Url((await sha256('refinery-view-key:' + editKey)).subarray(0, VIEW_KEY_BYTES));
}

/** What the relay stores for a room: SHA-256("refinery-key-check:" + viewKey), 32 bytes. */
export async function keyCheck(viewKey: string): Promise<Uint8Array> {
	return sha256('refinery-key-check:' + viewKey);
}

/** The key check a key of either kind maps to, with its kind; null for a malformed key. */
export async function keyCheckOf(key: string): Promise<{ access: Access; check: Uint8Array } | null> {
	const access = keyKind(key);
	if (access === null) return null;
	const viewKey = access === 'edit' ? await deriveViewKey(key) : key;
	return { access, check: await keyCheck(viewKey) };
}

/** Compare two byte strings in time that depends only on their length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
	return diff === 0;
}

/** The access a key grants to a room whose stored check is `stored`, or null if it grants none. */
export async function verifyKey(key: string, stored: Uint8Array): Promise<Access | null> {
	const presented = await keyCheckOf(key);
	return presented !== null && equalBytes(presented.check, stored) ? presented.access : null;
}
