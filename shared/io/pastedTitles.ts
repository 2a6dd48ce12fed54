import { MAX_TITLE_LENGTH } from '../items';

const MARKER = /^(?:[-*+•]|\d+[.)]|\[[ xX]\])\s+/;

/**
 * The item titles in a text pasted into the new-item field: one per non-blank line, list
 * markers (`- `, `* `, `1. `, `[ ] `) dropped, spaces tidied. A text of one line gives one title
 * (markers kept: "- not a list" typed on purpose stays as typed). Titles longer than an item
 * may hold are cut at the limit, so each line still becomes an item.
 * @example pastedTitles('- Login\n- Logout\n') // ['Login', 'Logout']
 */
export function pastedTitles(text: string): string[] {
	const lines = text.split(/\r\n?|\n/).map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean);
	if (lines.length < 2) return lines;
	return lines
		.map((line) => line.replace(MARKER, '').trim() || line)
		.map((title) => title.slice(0, MAX_TITLE_LENGTH).trim());
}
