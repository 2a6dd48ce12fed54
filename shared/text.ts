import * as Y from 'yjs';

/** One edit of a text: what an input event or a CRDT delta says happened. */
export interface TextChange {
	index: number;
	remove: number;
	insert: string;
}

/**
 * The smallest single change that turns `from` into `to` (common prefix and suffix
 * kept), so a whole-value write still merges with someone typing elsewhere.
 * @example diffText('abc', 'aXc') // { index: 1, remove: 1, insert: 'X' }
 */
export function diffText(from: string, to: string): TextChange {
	let start = 0;
	const max = Math.min(from.length, to.length);
	while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
	// Never cut a surrogate pair in two: Yjs would store half a character.
	if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
	let end = 0;
	while (
		end < max - start &&
		from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)
	) {
		end++;
	}
	if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
	return { index: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) };
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/** Apply a change to a Y.Text, clamped to its length. Call inside a transaction. */
export function applyTextChange(text: Y.Text, change: TextChange): void {
	const index = Math.max(0, Math.min(change.index, text.length));
	const remove = Math.max(0, Math.min(change.remove, text.length - index));
	if (remove > 0) text.delete(index, remove);
	if (change.insert.length > 0) text.insert(index, change.insert);
}

/** Make a Y.Text read `value` with the smallest change. Call inside a transaction. */
export function replaceText(text: Y.Text, value: string): void {
	applyTextChange(text, diffText(text.toString(), value));
}

/** A Y.Text holding `value`, ready to be put into a map. */
export function newText(value = ''): Y.Text {
	const text = new Y.Text();
	if (value) text.insert(0, value);
	return text;
}
