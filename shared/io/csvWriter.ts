import Papa from 'papaparse';

/**
 * Rows as CSV text the way every export of ours writes it: CRLF line ends, quotes where a cell
 * needs them, and cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) guarded with
 * a leading `'` (our CSV import removes it). Every CSV we write goes through here, so a guard
 * added here covers them all.
 */
export function writeCsv(rows: readonly (readonly string[])[]): string {
	return Papa.unparse(rows as string[][], { newline: '\r\n', escapeFormulae: true }) + '\r\n';
}
