import { describe, expect, test } from 'vitest';
import { deriveViewKey } from './keys';
import { newRoomLink, parseKeyFragment, parseRoomLink, roomPath, roomUrl } from './links';

describe('room links', () => {
	test('a new link round-trips through its URL', () => {
		const link = newRoomLink();
		expect(parseRoomLink(roomUrl('http://127.0.0.1:3000', link))).toEqual(link);
		expect(parseRoomLink(roomPath(link))).toEqual(link);
	});

	test('a view key is read from #v= and only from there', async () => {
		const link = newRoomLink();
		const viewKey = await deriveViewKey(link.key);
		expect(parseKeyFragment(`#v=${viewKey}`)).toEqual({ key: viewKey, access: 'view' });
		expect(parseKeyFragment(`#k=${viewKey}`)).toBeNull();
		expect(parseKeyFragment(`#v=${link.key}`)).toBeNull();
	});

	test.each([
		'',
		'hello',
		'https://example.com/',
		'https://example.com/r/short#k=abc',
		'https://example.com/r/AAAAAAAAAAAAAAAAAAAAAA',
		'https://example.com/r/AAAAAAAAAAAAAAAAAAAAAA#k=',
		'https://example.com/r/AAAAAAAAAAAAAAAAAAAAAA#x=AAAAAAAAAAAAAAAAAAAAAA',
		'https://example.com/x/AAAAAAAAAAAAAAAAAAAAAA#k=AAAAAAAAAAAAAAAAAAAAAA'
	])('%j is not a room link', (text) => {
		expect(parseRoomLink(text)).toBeNull();
	});

	test('spaces around a pasted link are ignored', () => {
		const link = newRoomLink();
		expect(parseRoomLink(`  ${roomUrl('https://a.example', link)}\n`)).toEqual(link);
	});
});
