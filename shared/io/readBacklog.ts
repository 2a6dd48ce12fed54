import { guessMapping, type CsvMapping } from './csvHeaders';
import { csvToDraft } from './csvDraft';
import { readCsv } from './csvTable';
import type { ImportFormat } from './detect';
import type { Draft } from './draft';
import { markdownToDraft, plainLinesToDraft } from './markdownImport';
import { textProblem } from './textCheck';

export interface ReadOptions {
	/** For CSV: which field each column fills; default: guessed from the header. */
	mapping?: CsvMapping;
	onProgress?: (done: number) => void;
	/** For CSV: the tracker's address, for links back to it (see trackerSource.ts). */
	baseUrl?: string | null;
}

/**
 * Read a CSV, Markdown or plain-lines text into a draft (JSON exports go through
 * `importRoom` instead, which updates items by id).
 * @example const draft = readBacklog(text, 'csv'); if (!blockingProblems(draft).length) addDraftItems(doc, draft, origin)
 */
export function readBacklog(text: string, format: Exclude<ImportFormat, 'json'>, options: ReadOptions = {}): Draft {
	const unreadable = textProblem(text);
	if (unreadable) return { name: null, items: [], problems: [unreadable] };
	if (format === 'markdown') return markdownToDraft(text);
	if (format === 'lines') return plainLinesToDraft(text);
	const table = readCsv(text, { onProgress: options.onProgress });
	return csvToDraft(table, options.mapping ?? guessMapping(table.headers), { baseUrl: options.baseUrl });
}
