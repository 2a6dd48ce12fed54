import type * as Y from 'yjs';
import { exportRoom } from '../../shared/exportJson';
import { exportCsv } from '../../shared/io/exportCsv';
import { exportMarkdown } from '../../shared/io/exportMarkdown';

/** Turns a room's document into one export format; the CLI picks them up. */
export type Exporter = (doc: Y.Doc) => string;

export const EXPORTERS: Record<string, Exporter> = {
	json: (doc) => JSON.stringify(exportRoom(doc), null, 2) + '\n',
	/** The live backlog with Jira's CSV columns (docs/IMPORT-EXPORT.md). */
	csv: (doc) => exportCsv(exportRoom(doc)),
	/** The live backlog as a Markdown page for a wiki. */
	md: (doc) => exportMarkdown(exportRoom(doc))
};
