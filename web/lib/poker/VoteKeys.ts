import { readLocal, writeLocal } from '$lib/storage/local';

/** A key this device made for one sealed vote, and the card it seals (this person's own). */
export interface KeptKey {
	key: string;
	card: string;
}

type Stored = Record<string, Record<string, KeptKey>>;

const isStored = (value: unknown): value is Stored => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The keys of this person's sealed votes in one room, kept in localStorage until the reveal
 * (so a reload, a dropped socket or a night offline keeps them), by round and then by the
 * vote's commitment: a vote changed while someone revealed still finds the key of the vote
 * the revealer saw. Never written to the document before the reveal.
 */
export class VoteKeys {
	readonly #storageKey: string;

	constructor(roomId: string, userId: string) {
		this.#storageKey = `refinery.pokerKeys.${roomId}.${userId}`;
	}

	#read(): Stored {
		return readLocal(this.#storageKey, isStored) ?? {};
	}

	/**
	 * Keep a key; returns false when storage refused it (the vote must then not be cast). Read
	 * back to be sure: without localStorage at all, writing "succeeds" and stores nothing.
	 */
	keep(roundId: string, commitment: string, kept: KeptKey): boolean {
		const stored = this.#read();
		stored[roundId] = { ...(stored[roundId] ?? {}), [commitment]: kept };
		return writeLocal(this.#storageKey, stored) && this.find(roundId, commitment)?.key === kept.key;
	}

	/** The key kept for a vote, or null. */
	find(roundId: string, commitment: string): KeptKey | null {
		const kept = this.#read()[roundId]?.[commitment];
		return kept && typeof kept.key === 'string' && typeof kept.card === 'string' ? kept : null;
	}

	/** Forget a round's keys once they are published (or the round is gone). */
	forget(roundId: string): void {
		const stored = this.#read();
		if (!(roundId in stored)) return;
		delete stored[roundId];
		writeLocal(this.#storageKey, stored);
	}

	/** Round ids with keys kept. */
	rounds(): string[] {
		return Object.keys(this.#read());
	}
}
