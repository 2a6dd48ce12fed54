import { describe, expect, it } from 'vitest';
import { commitmentOf, fromBase64Url, openSealed, SealBrokenError, sealCard, SEALED_CARD_BYTES, toBase64Url } from './seal';

const context = { roundId: 'r1', voterId: 'ann' };
const latin1 = (text: string) => new TextDecoder('latin1').decode(fromBase64Url(text));

describe('sealing a card', () => {
	it('opens with its key to the card, for every kind of card', async () => {
		for (const card of ['0', '0.5', '100', 'XXL', '?', '☕', 'pass', 'ÄÖÜßéèêë']) {
			const { sealed, key } = await sealCard(card, context);
			expect(await openSealed(sealed, key, context)).toBe(card);
		}
	});

	it('shows nothing of the card: the ciphertext and commitment carry neither the card nor its length', async () => {
		const lengths = new Set<number>();
		for (const card of ['1', '100', 'pass', '☕', 'QUOKKA']) {
			const { sealed } = await sealCard(card, context);
			lengths.add(sealed.ciphertext.length);
			// Single characters turn up in any random text; distinctive cards must not.
			if (card.length < 4) continue;
			expect(JSON.stringify(sealed)).not.toContain(card);
			expect(latin1(sealed.ciphertext.slice(3))).not.toContain(card);
		}
		// Padding: "1" and "QUOKKA" give ciphertexts of the same length.
		expect(lengths.size).toBe(1);
		expect(SEALED_CARD_BYTES).toBeGreaterThan(32);
	});

	it('uses a fresh key and IV every time: the same card twice gives unrelated ciphertexts', async () => {
		const a = await sealCard('5', context);
		const b = await sealCard('5', context);
		expect(a.key).not.toBe(b.key);
		expect(a.sealed.ciphertext).not.toBe(b.sealed.ciphertext);
		expect(a.sealed.commitment).not.toBe(b.sealed.commitment);
	});

	it('refuses a key that does not match the commitment (a voter cannot swap keys after the fact)', async () => {
		const { sealed } = await sealCard('5', context);
		const other = await sealCard('13', context);
		await expect(openSealed(sealed, other.key, context)).rejects.toThrow(SealBrokenError);
		// Even with the commitment swapped too, the ciphertext does not decrypt under the other key.
		await expect(openSealed({ ...sealed, commitment: other.sealed.commitment }, other.key, context)).rejects.toMatchObject({ reason: 'ciphertext' });
	});

	it('binds the vote to its round and voter: copied to someone else it does not open', async () => {
		const { sealed, key } = await sealCard('5', context);
		await expect(openSealed(sealed, key, { roundId: 'r1', voterId: 'ben' })).rejects.toMatchObject({ reason: 'commitment' });
		const recommitted = { ...sealed, commitment: await commitmentOf(key, { roundId: 'r2', voterId: 'ann' }) };
		await expect(openSealed(recommitted, key, { roundId: 'r2', voterId: 'ann' })).rejects.toMatchObject({ reason: 'ciphertext' });
	});

	it('detects a changed ciphertext and refuses damaged input with a clear error', async () => {
		const { sealed, key } = await sealCard('5', context);
		const bytes = fromBase64Url(sealed.ciphertext.slice(3));
		bytes[bytes.length - 1] ^= 1;
		await expect(openSealed({ ...sealed, ciphertext: 'v1.' + toBase64Url(bytes) }, key, context)).rejects.toMatchObject({ reason: 'ciphertext' });
		await expect(openSealed({ ...sealed, ciphertext: 'v9.abc' }, key, context)).rejects.toMatchObject({ reason: 'format' });
		await expect(openSealed({ ...sealed, ciphertext: 'v1.!!' }, key, context)).rejects.toMatchObject({ reason: 'format' });
		await expect(openSealed(sealed, 'short', context)).rejects.toThrow(SealBrokenError);
		await expect(openSealed(sealed, toBase64Url(new Uint8Array(16)), context)).rejects.toMatchObject({ reason: 'commitment' });
	});

	it('round-trips base64url', () => {
		const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
		expect(toBase64Url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
		expect([...fromBase64Url(toBase64Url(bytes))]).toEqual([...bytes]);
	});
});
