import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { shiftPosition, type DeltaOp } from './caret';

/** Apply a remote edit to a Y.Text and return the delta the observer saw. */
function deltaOf(initial: string, edit: (text: Y.Text) => void): DeltaOp[] {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, initial);
	let delta: DeltaOp[] = [];
	text.observe((event) => (delta = event.delta as DeltaOp[]));
	edit(text);
	return delta;
}

describe('shiftPosition', () => {
	test('an insert before the caret pushes it right', () => {
		expect(shiftPosition(5, deltaOf('hello world', (t) => t.insert(2, 'abc')))).toBe(8);
	});

	test('an insert after the caret leaves it', () => {
		expect(shiftPosition(2, deltaOf('hello world', (t) => t.insert(6, 'abc')))).toBe(2);
	});

	test('an insert exactly at the caret goes before it', () => {
		expect(shiftPosition(5, deltaOf('hello world', (t) => t.insert(5, 'abc')))).toBe(5);
	});

	test('a delete before the caret pulls it left', () => {
		expect(shiftPosition(8, deltaOf('hello world', (t) => t.delete(1, 3)))).toBe(5);
	});

	test('a delete around the caret puts it at the start of the gap', () => {
		expect(shiftPosition(4, deltaOf('hello world', (t) => t.delete(2, 5)))).toBe(2);
	});

	test('an insert at the start pushes a caret at the end', () => {
		expect(shiftPosition(3, deltaOf('abc', (t) => t.insert(0, 'xy')))).toBe(5);
	});
});
