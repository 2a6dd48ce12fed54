import { guessMapping } from './csvHeaders';

/** The formats a backlog can be imported from. */
export const IMPORT_FORMATS = ['csv', 'markdown', 'lines', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const BY_EXTENSION: Record<string, ImportFormat> = { csv: 'csv', tsv: 'csv', md: 'markdown', markdown: 'markdown', json: 'json' };

/**
 * Guess a text's format from its file name, else from its content: a JSON object, a CSV
 * whose header names a title column, Markdown headings or bullets, or else plain lines
 * (so a pasted list whose lines contain commas is not mistaken for CSV).
 */
export function detectFormat(text: string, fileName = ''): ImportFormat {
	const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
	if (extension && BY_EXTENSION[extension]) return BY_EXTENSION[extension];
	const body = text.replace(/^\uFEFF/, '').trimStart();
	if (body.startsWith('{')) return 'json';
	const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
	const lines = body.split(/\r?\n/).filter((l) => l.trim()).length;
	if (lines > 1) {
		for (const delimiter of [',', ';', '\t']) {
			const headers = firstLine.split(delimiter).map((h) => h.replace(/^"|"$/g, ''));
			if (headers.length > 1 && guessMapping(headers).includes('title')) return 'csv';
		}
	}
	if (/^(#{1,6}\s|\s*([-*+]|\d+[.)])\s)/m.test(body)) return 'markdown';
	return 'lines';
}
