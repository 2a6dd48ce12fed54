import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MalformedMessageError } from './protocol';
import { RoomLog } from './RoomLog';
import { scanUpdate, UpdateBudgetError } from './updateScan';

const LOOSE = { maxStructs: Infinity, maxClients: Infinity, maxDepth: 100 };

/** A document edited by a few clients with every kind of content. */
function randomUpdates(seed: number, steps: number): Uint8Array[] {
	const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
	const updates: Uint8Array[] = [];
	let state = seed;
	const next = (n: number) => {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		return state % n;
	};
	for (const doc of docs) doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < steps; i++) {
		const doc = docs[next(docs.length)];
		const text = doc.getText('t');
		switch (next(6)) {
			case 0:
				text.insert(next(text.length + 1), 'abc😀'.slice(0, 1 + next(4)), next(2) ? { bold: true } : undefined);
				break;
			case 1:
				if (text.length > 0) text.delete(next(text.length), 1);
				break;
			case 2:
				doc.getMap('m').set(`k${next(5)}`, { nested: [1, 'two', { three: null }], n: next(100) });
				break;
			case 3:
				doc.getArray('a').insert(0, [new Uint8Array([1, 2, 3]), true, 1.5, 2 ** 40, -7]);
				break;
			case 4: {
				const inner = new Y.Map();
				doc.getMap('types').set(`t${next(3)}`, inner);
				inner.set('x', 'y');
				break;
			}
			default: {
				const other = docs[next(docs.length)];
				Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
			}
		}
	}
	return updates;
}

describe('scanUpdate', () => {
	it('reads every update Yjs writes, and its ranges give the state vector Yjs computes', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
				const updates = randomUpdates(seed, 60);
				const merged = Y.mergeUpdates(updates);
				for (const update of [...updates, merged]) scanUpdate(update, LOOSE);
				const summary = scanUpdate(merged, LOOSE);
				const expected = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(merged));
				expect(new Map([...summary.ranges].map(([client, range]) => [client, range.end]))).toEqual(expected);
			}),
			{ numRuns: 40, seed: 42 }
		);
	});

	it('a room log fed the updates in order finds each complete, and a reordered one pending until its dependency', () => {
		const updates = randomUpdates(7, 80);
		const log = new RoomLog();
		log.load([], Uint8Array.of(0));
		for (const update of updates) {
			const summary = scanUpdate(update, LOOSE);
			expect(log.fit(summary)).not.toBe('pending');
			log.append(update, summary);
		}
		expect(Y.decodeStateVector(log.stateVector())).toEqual(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates))));
		const doc = new Y.Doc();
		doc.getText('t').insert(0, 'a');
		const first = Y.encodeStateAsUpdate(doc);
		const sv = Y.encodeStateVector(doc);
		doc.getText('t').insert(1, 'b');
		const second = Y.encodeStateAsUpdate(doc, sv);
		const fresh = new RoomLog();
		fresh.load([], Uint8Array.of(0));
		expect(fresh.fit(scanUpdate(second, LOOSE))).toBe('pending');
		fresh.append(first, scanUpdate(first, LOOSE));
		expect(fresh.fit(scanUpdate(second, LOOSE))).toBe('complete');
		expect(fresh.fit(scanUpdate(first, LOOSE))).toBe('known');
	});

	it('refuses corrupt bytes with MalformedMessageError, wherever they are cut', () => {
		const [update] = [Y.mergeUpdates(randomUpdates(3, 40))];
		for (let cut = 0; cut < update.byteLength - 1; cut += 7) {
			let error: unknown = null;
			try {
				scanUpdate(update.subarray(0, cut), LOOSE);
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(MalformedMessageError);
		}
	});

	it('holds updates to their budgets: structs, client ids, nesting', () => {
		const many = new Y.Doc();
		for (let i = 0; i < 50; i++) many.getMap('m').set(`k${i}`, i);
		expect(() => scanUpdate(Y.encodeStateAsUpdate(many), { ...LOOSE, maxStructs: 10 })).toThrow(UpdateBudgetError);
		const clients = randomUpdates(5, 30);
		expect(() => scanUpdate(Y.mergeUpdates(clients), { ...LOOSE, maxClients: 1 })).toThrow(UpdateBudgetError);
		const deep = new Y.Doc();
		let value: unknown = 'leaf';
		for (let i = 0; i < 200; i++) value = [value];
		deep.getArray('a').insert(0, [value]);
		expect(() => scanUpdate(Y.encodeStateAsUpdate(deep), { ...LOOSE, maxDepth: 64 })).toThrow(UpdateBudgetError);
	});

	it('reads a 20,000-deep value as bytes without running out of stack', () => {
		// A hand-made item holding 20,000 nested arrays: Yjs's own reader recurses once per level.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1); // one client
		encoding.writeVarUint(encoder, 1); // one struct
		encoding.writeVarUint(encoder, 1); // client id
		encoding.writeVarUint(encoder, 0); // clock
		encoding.writeUint8(encoder, 8); // item with ContentAny, parent follows
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarString(encoder, 'a');
		encoding.writeVarUint(encoder, 1);
		for (let i = 0; i < 20_000; i++) {
			encoding.writeUint8(encoder, 117);
			encoding.writeVarUint(encoder, 1);
		}
		encoding.writeUint8(encoder, 126);
		encoding.writeVarUint(encoder, 0); // empty delete set
		expect(() => scanUpdate(encoding.toUint8Array(encoder), { ...LOOSE, maxDepth: 64 })).toThrow(UpdateBudgetError);
	});
});
