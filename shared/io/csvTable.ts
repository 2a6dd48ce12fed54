import Papa from 'papaparse';
import type { ImportProblem } from './problems';

/** A CSV file as rows of cells, each row with the line it starts on (a quoted cell may span lines). */
export interface CsvTable {
	headers: string[];
	rows: CsvRow[];
	problems: ImportProblem[];
}

export interface CsvRow {
	line: number;
	cells: string[];
}

export interface CsvReadOptions {
	/** Called now and then with the share of the text read so far (0 to 1). */
	onProgress?: (done: number) => void;
	/** Stop after this many data rows (for a preview). */
	maxRows?: number;
}

/**
 * Read CSV text with Papa Parse: the delimiter is detected (comma, semicolon, tab...), a BOM
 * is dropped, CRLF and LF both end rows, quoted cells keep their commas, quotes and line
 * breaks. Blank lines are skipped. Rows with a quoting error become problems with their line.
 */
export function readCsv(text: string, { onProgress, maxRows = Infinity }: CsvReadOptions = {}): CsvTable {
	const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const table: CsvTable = { headers: [], rows: [], problems: [] };
	let counted = 0; // offset up to which newlines are counted
	let line = 1; // line at `counted`
	let rowStart = 0;
	let seen = 0;
	Papa.parse<string[]>(source, {
		header: false,
		step(result, parser) {
			while (counted < rowStart) {
				const next = source.indexOf('\n', counted);
				if (next < 0 || next >= rowStart) {
					counted = rowStart;
					break;
				}
				line++;
				counted = next + 1;
			}
			const at = line;
			rowStart = result.meta.cursor;
			const cells = result.data;
			for (const error of result.errors) {
				if (error.type !== 'Delimiter') table.problems.push({ line: at, code: 'parse', detail: error.message });
			}
			if (cells.length === 1 && cells[0].trim() === '') return;
			if (seen === 0 && table.headers.length === 0) table.headers = cells.map((cell) => cell.trim());
			else table.rows.push({ line: at, cells });
			if (++seen % 512 === 0) onProgress?.(rowStart / source.length);
			if (table.rows.length >= maxRows) parser.abort();
		}
	});
	onProgress?.(1);
	return table;
}
