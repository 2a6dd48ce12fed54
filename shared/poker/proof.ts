import { InvalidInputError } from '../doc';
import { fromBase64Url, SealBrokenError, toBase64Url } from './seal';

/**
 * The facilitator's proof: an ECDSA P-256 signature that only the facilitator's device can make,
 * checked by everyone against the public key in the room's facilitator record. User ids are not
 * authenticated in Refinery, so without it any editor could write a reveal "by the facilitator".
 * Web Crypto only, like seal.ts.
 */

/** A device's signing keys: the public key goes into the room, the private key never leaves the device. */
export interface SigningKeys {
	/** base64url of the raw (uncompressed) P-256 public key. */
	publicKey: string;
	/** The private key as a JWK, kept in this device's storage. */
	privateKey: JsonWebKey;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;

const subtle = () => {
	const s = globalThis.crypto?.subtle;
	if (!s) throw new InvalidInputError('The facilitator’s proof needs Web Crypto (open the room over https or on localhost)');
	return s;
};

/** Make a new pair of signing keys for this device. */
export async function makeSigningKeys(): Promise<SigningKeys> {
	const pair = (await subtle().generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
	const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
	return { publicKey: toBase64Url(raw), privateKey: await subtle().exportKey('jwk', pair.privateKey) };
}

const encoder = new TextEncoder();

/** What a reveal's proof signs: this round, revealed by this person; a proof is worth nothing elsewhere. */
export function revealStatement(roundId: string, by: string): string {
	return `refinery-reveal-v1\u0000${roundId}\u0000${by}`;
}

/** Sign a statement with this device's private key; base64url of the signature. */
export async function signStatement(privateKey: JsonWebKey, statement: string): Promise<string> {
	const key = await subtle().importKey('jwk', privateKey, ALGORITHM, false, ['sign']);
	return toBase64Url(new Uint8Array(await subtle().sign(SIGNATURE, key, encoder.encode(statement))));
}

/** True when `signature` is the holder of `publicKey` signing `statement`; false for anything malformed. */
export async function verifyStatement(publicKey: string, statement: string, signature: string): Promise<boolean> {
	try {
		const key = await subtle().importKey('raw', fromBase64Url(publicKey), ALGORITHM, false, ['verify']);
		return await subtle().verify(SIGNATURE, key, fromBase64Url(signature), encoder.encode(statement));
	} catch (error) {
		if (error instanceof SealBrokenError || error instanceof DOMException || error instanceof TypeError) return false;
		throw error;
	}
}
