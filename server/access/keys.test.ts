import { describe, expect, it } from 'vitest';
import { newRoomId } from '../../shared/ids';
import { deriveViewKey, equalBytes, isEditKey, isViewKey, keyCheck, keyKind, verifyKey } from './keys';

describe('room keys', () => {
	it('derives a 24-character view key, deterministically and differently per edit key', async () => {
		const editKey = newRoomId();
		const viewKey = await deriveViewKey(editKey);
		expect(viewKey).toHaveLength(24);
		expect(isViewKey(viewKey) && isEditKey(editKey)).toBe(true);
		expect(await deriveViewKey(editKey)).toBe(viewKey);
		expect(await deriveViewKey(newRoomId())).not.toBe(viewKey);
		expect(keyKind(editKey)).toBe('edit');
		expect(keyKind(viewKey)).toBe('view');
		expect(keyKind('x'.repeat(23))).toBeNull();
	});

	it('matches a fixed vector, so the web app and the relay agree', async () => {
		expect(await deriveViewKey('AAAAAAAAAAAAAAAAAAAAAA')).toMatchInlineSnapshot(`"z1xK8vUjcV1zLxFyYA-CxXJ_"`);
	});

	it('one stored check verifies both keys, each with its own access', async () => {
		const editKey = newRoomId();
		const viewKey = await deriveViewKey(editKey);
		const stored = await keyCheck(viewKey);
		expect(await verifyKey(editKey, stored)).toBe('edit');
		expect(await verifyKey(viewKey, stored)).toBe('view');
		expect(await verifyKey(newRoomId(), stored)).toBeNull();
		expect(await verifyKey(await deriveViewKey(newRoomId()), stored)).toBeNull();
		expect(await verifyKey('garbage', stored)).toBeNull();
	});

	it('compares bytes fully', () => {
		expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
		expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
		expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
	});
});
