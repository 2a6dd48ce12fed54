/**
 * Labels inside one text cell or line. Other tools put several labels in one cell separated by
 * commas or semicolons (GitHub "bug, ux", Azure DevOps "bug; ux"), so a label of ours that holds
 * one of those characters ("a, b") must be escaped to stay one label: a backslash goes before
 * `\`, `,`, `;` and `·` (the separator of our Markdown facts line), and before a leading `'`
 * (which a CSV reader would take for a spreadsheet's formula guard).
 *
 * Reading a CSV cell undoes exactly those escapes, so a foreign label such as `C:\temp` keeps
 * its backslash. Reading Markdown undoes every backslash escape CommonMark knows (one before
 * ASCII punctuation), so a label that a Markdown writer escaped (`\*`) reads back as written.
 */

const SPECIAL = /[\\,;·]/g;

/** One label as text that `splitLabels` reads back as that one label. */
export function escapeLabel(label: string): string {
	return label.replace(SPECIAL, (c) => `\\${c}`).replace(/^'/, "\\'");
}

/** Several labels in one cell or line: escaped, joined with ", ". */
export function joinLabels(labels: readonly string[]): string {
	return labels.map(escapeLabel).join(', ');
}

const CSV_ESCAPED = /[\\,;·']/;
const MARKDOWN_ESCAPED = /[!-/:-@[-`{-~·]/;

/**
 * Split a text on the separators that are not escaped, removing the escapes that `escaped`
 * accepts (a backslash before anything else stays as it is).
 */
export function splitUnescaped(text: string, separators: RegExp, escaped: RegExp): string[] {
	const parts: string[] = [];
	let current = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\\' && i + 1 < text.length && escaped.test(text[i + 1])) {
			current += text[++i];
		} else if (separators.test(c)) {
			parts.push(current);
			current = '';
		} else current += c;
	}
	parts.push(current);
	return parts;
}

/**
 * The labels in one CSV cell or Markdown facts value: split on unescaped `,` and `;`,
 * unescaped, spaces tidied, empty ones dropped.
 * @example splitLabels('a\\, b, c') // ['a, b', 'c']
 */
export function splitLabels(value: string, from: 'csv' | 'markdown' = 'csv'): string[] {
	return splitUnescaped(value, /[,;]/, from === 'csv' ? CSV_ESCAPED : MARKDOWN_ESCAPED)
		.map((label) => label.replace(/\s+/g, ' ').trim())
		.filter(Boolean);
}
