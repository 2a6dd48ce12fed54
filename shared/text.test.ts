import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { applyTextChange, diffText, newText, replaceText } from './text';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** True when a slice boundary at `i` would cut a surrogate pair in two. */
const cuts = (s: string, i: number) => i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));

function attached(value = ''): Y.Text {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, value);
	return text;
}

describe('diffText', () => {
	it('finds the smallest single change', () => {
		expect(diffText('abc', 'aXc')).toEqual({ index: 1, remove: 1, insert: 'X' });
		expect(diffText('abc', 'abc')).toEqual({ index: 3, remove: 0, insert: '' });
		expect(diffText('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
		expect(diffText('gone', '')).toEqual({ index: 0, remove: 4, insert: '' });
		expect(diffText('aaa', 'aaaa')).toEqual({ index: 3, remove: 0, insert: 'a' });
	});
	it('never cuts a surrogate pair when emoji share a high surrogate', () => {
		// 😀 is D83D DE00 and 😁 is D83D DE01: the common prefix ends mid-pair.
		expect(diffText('a😀b', 'a😁b')).toEqual({ index: 1, remove: 2, insert: '😁' });
		expect(diffText('😀😀', '😀😁😀')).toEqual({ index: 2, remove: 0, insert: '😁' });
		// 🙀 is D83D DE40 and 😀 is D83D DE00: the common suffix would start mid-pair.
		expect(diffText('x😀', 'x🙀')).toEqual({ index: 1, remove: 2, insert: '🙀' });
	});
	it('turns any string into any other without splitting a pair (property)', () => {
		const piece = fc.constantFrom('a', 'b', '😀', '😁', '🙀', '\u{10000}', 'é');
		const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
		fc.assert(
			fc.property(text, text, (from, to) => {
				const { index, remove, insert } = diffText(from, to);
				expect(from.slice(0, index) + insert + from.slice(index + remove)).toBe(to);
				expect(cuts(from, index) || cuts(from, index + remove)).toBe(false);
				expect(cuts(to, index) || cuts(to, index + insert.length)).toBe(false);
			}),
			{ seed: 3, numRuns: 2000 }
		);
	});
});

describe('applyTextChange', () => {
	it('applies a change to a Y.Text', () => {
		const text = attached('hello world');
		applyTextChange(text, { index: 6, remove: 5, insert: 'there' });
		expect(text.toString()).toBe('hello there');
	});
	it('clamps an index and a removal past the end', () => {
		const text = attached('abc');
		applyTextChange(text, { index: 10, remove: 5, insert: '!' });
		expect(text.toString()).toBe('abc!');
		applyTextChange(text, { index: -3, remove: 100, insert: 'z' });
		expect(text.toString()).toBe('z');
	});
});

describe('replaceText', () => {
	it('changes only the differing part, so concurrent typing elsewhere merges', () => {
		const a = new Y.Doc();
		a.getText('t').insert(0, 'The quick fox');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		replaceText(a.getText('t'), 'The quick brown fox'); // whole-value write on a
		b.getText('t').insert(b.getText('t').length, ' jumps'); // typing on b
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(a.getText('t').toString()).toBe('The quick brown fox jumps');
		expect(b.getText('t').toString()).toBe(a.getText('t').toString());
	});
	it('keeps emoji whole in a Y.Text', () => {
		const text = attached('a😀b');
		replaceText(text, 'a😁b');
		expect(text.toString()).toBe('a😁b');
	});
});

describe('newText', () => {
	it('makes a Y.Text with the value once placed in a document', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('t', newText('hi'));
		doc.getMap('m').set('empty', newText());
		expect((doc.getMap('m').get('t') as Y.Text).toString()).toBe('hi');
		expect((doc.getMap('m').get('empty') as Y.Text).toString()).toBe('');
	});
});
