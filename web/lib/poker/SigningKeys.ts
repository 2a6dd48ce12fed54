import { makeSigningKeys, type SigningKeys as Keys } from '$shared/poker/proof';
import { readLocal, writeLocal } from '$lib/storage/local';

const isKeys = (value: unknown): value is Keys =>
	typeof value === 'object' && value !== null && typeof (value as Keys).publicKey === 'string' && typeof (value as Keys).privateKey === 'object';

/**
 * This device's signing keys for one room (proof.ts): made on first need and kept in
 * localStorage like the vote keys, so a reload keeps signing as the same facilitator.
 */
export class SigningKeys {
	readonly #storageKey: string;
	#making: Promise<Keys> | null = null;

	constructor(roomId: string, userId: string) {
		this.#storageKey = `refinery.pokerSigning.${roomId}.${userId}`;
	}

	/** The public key, if this device has made its keys already. */
	get publicKey(): string | null {
		return readLocal(this.#storageKey, isKeys)?.publicKey ?? null;
	}

	/** The keys, made and stored on first use. */
	ensure(): Promise<Keys> {
		const kept = readLocal(this.#storageKey, isKeys);
		if (kept) return Promise.resolve(kept);
		this.#making ??= makeSigningKeys().then((keys) => {
			writeLocal(this.#storageKey, keys);
			return keys;
		});
		return this.#making;
	}
}
