import { describe, expect, it } from 'vitest';
import { decodeFile } from './decodeFile';

describe('decodeFile', () => {
	it('reads UTF-8 and UTF-16 with a byte-order mark', async () => {
		expect(await decodeFile(new Blob(['Title\nCafé\n']))).toBe('Title\nCafé\n');
		const utf16 = new Uint8Array([0xff, 0xfe, ...[...'Title\n'].flatMap((c) => [c.charCodeAt(0), 0])]);
		expect(await decodeFile(new Blob([utf16]))).toBe('Title\n');
	});
});
