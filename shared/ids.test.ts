import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64Url, isRoomId, newId, newRoomId, randomBytes, toBase64Url } from './ids';

describe('base64url', () => {
	it('encodes like Node does, without padding', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
			}),
			{ seed: 1, numRuns: 500 }
		);
	});
	it('decodes what it encodes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
			}),
			{ seed: 2, numRuns: 500 }
		);
	});
	it('handles the empty string', () => {
		expect(toBase64Url(new Uint8Array())).toBe('');
		expect(fromBase64Url('')).toEqual(new Uint8Array());
	});
	it('returns null for malformed text', () => {
		expect(fromBase64Url('ab+c')).toBeNull(); // standard base64, not url
		expect(fromBase64Url('abc=')).toBeNull(); // padding
		expect(fromBase64Url('abcde')).toBeNull(); // length 1 mod 4 cannot be
		expect(fromBase64Url('AB')).toBeNull(); // trailing bits set: "AA" is the one spelling of 0x00
		expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]));
	});
});

describe('random ids', () => {
	it('makes 22-character room ids that are valid and distinct', () => {
		const a = newRoomId();
		expect(a).toHaveLength(22);
		expect(isRoomId(a)).toBe(true);
		expect(newRoomId()).not.toBe(a);
	});
	it('makes 16-character item ids', () => {
		expect(newId()).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(randomBytes(5)).toHaveLength(5);
	});
	it('refuses room ids of the wrong length, alphabet or trailing bits', () => {
		expect(isRoomId('A'.repeat(21))).toBe(false);
		expect(isRoomId('A'.repeat(23))).toBe(false);
		expect(isRoomId('A'.repeat(21) + '/')).toBe(false);
		// 22 characters carry 132 bits; the last 4 must be zero for 128 bits.
		expect(isRoomId('A'.repeat(21) + 'B')).toBe(false);
		expect(isRoomId('A'.repeat(21) + 'Q')).toBe(true);
	});
});
