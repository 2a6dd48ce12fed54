import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeRoomState } from '../../shared/history/plainState';
import { readRoomState } from '../../shared/history/roomState';
import { createItem } from '../../shared/items';
import { localOrigin } from '../../shared/origins';
import { PlainStateBudgetError, PlainStateWorker } from './PlainStateWorker';

const workers: PlainStateWorker[] = [];
const worker = (budget: ConstructorParameters<typeof PlainStateWorker>[0] = {}) => {
	const made = new PlainStateWorker(budget);
	workers.push(made);
	return made;
};
afterAll(async () => {
	for (const made of workers) await made.close();
});

function room(items: number, titleLength = 10): Y.Doc {
	const doc = new Y.Doc();
	for (let i = 0; i < items; i++) createItem(doc, { id: `i${i}`, title: 'x'.repeat(titleLength) }, localOrigin('me'));
	return doc;
}

describe('PlainStateWorker', () => {
	it('makes the room state the app compares, off the event loop', async () => {
		const doc = room(20);
		const plain = await worker().make(Y.encodeStateAsUpdate(doc));
		expect(decodeRoomState(JSON.parse(gunzipSync(plain).toString('utf8')))).toEqual(readRoomState(doc));
	});

	it('refuses a job over its time, over its size, or of bytes that are not a Yjs update, and goes on with the next', async () => {
		const slow = worker({ timeMs: 1 });
		await expect(slow.make(Y.encodeStateAsUpdate(room(2000)))).rejects.toBeInstanceOf(PlainStateBudgetError);
		const small = worker({ maxJsonBytes: 1000 });
		await expect(small.make(Y.encodeStateAsUpdate(room(4, 400)))).rejects.toBeInstanceOf(PlainStateBudgetError);
		await expect(small.make(new Uint8Array([200, 1, 2, 3]))).rejects.toBeInstanceOf(PlainStateBudgetError);
		expect((await small.make(Y.encodeStateAsUpdate(room(1)))).byteLength).toBeGreaterThan(0);
	});
});
