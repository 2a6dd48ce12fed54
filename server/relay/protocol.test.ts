import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MalformedMessageError, decodeMessage, encodeSyncStep1, encodeUpdate } from './protocol';

describe('decodeMessage', () => {
	it('reads what a stock client sends', () => {
		const doc = new Y.Doc();
		doc.getText('t').insert(0, 'hi');
		expect(decodeMessage(encodeSyncStep1(Y.encodeStateVector(doc))).kind).toBe('syncStep1');
		expect(decodeMessage(encodeUpdate(Y.encodeStateAsUpdate(doc)))).toMatchObject({ kind: 'update' });
		expect(decodeMessage(Uint8Array.of(3)).kind).toBe('queryAwareness');
	});

	it.each([
		['empty', []],
		['unknown type', [9]],
		['unknown sync type', [0, 7, 0]],
		['truncated varint', [0, 0x80]],
		['overlong varint', [0, ...Array(12).fill(0xff), 1]],
		['huge length', [0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1]],
		['corrupt update', [0, 2, 3, 200, 1, 1]],
		['trailing bytes', [3, 0]]
	])('rejects %s', (_name, bytes) => {
		expect(() => decodeMessage(Uint8Array.from(bytes))).toThrow(MalformedMessageError);
	});
});
