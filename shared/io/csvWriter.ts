/**
 * The one CSV writer for exports. Papa Parse's `escapeFormulae: true` tests `/^[=+\-@\t\r].*$/`,
 * whose `.` stops at a newline and whose `$` then finds no end: a multi-line cell starting with
 * `=HYPERLINK(…)` went out unguarded. Here the test is on the first character alone.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Plain numbers (a negative estimate, say) are data, not formulas, and stay numbers. */
const NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One cell: a spreadsheet must not run it as a formula (OWASP's CSV injection advice: prefix `'`),
 * and quotes, commas and line breaks stay inside the cell.
 * @example csvCell('=HYPERLINK("x")\nmore') // `"'=HYPERLINK(""x"")\nmore"`
 */
export function csvCell(text: string): string {
	const safe = FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
	return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text: CRLF line ends (RFC 4180), one after the last row too. */
export function csvText(rows: readonly (readonly string[])[]): string {
	return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
