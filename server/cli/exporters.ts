import type * as Y from 'yjs';
import { exportRoom } from '../../shared/exportJson';
import { exportCsv } from '../../shared/io/exportCsv';
import { exportMarkdown } from '../../shared/io/exportMarkdown';
import { exportAzureUpdate, exportJiraUpdate } from '../../shared/io/exportTracker';

/** Turns a room's document into one export format; the CLI picks them up. */
export type Exporter = (doc: Y.Doc) => string;

export const EXPORTERS: Record<string, Exporter> = {
	json: (doc) => JSON.stringify(exportRoom(doc), null, 2) + '\n',
	/** The live backlog with Jira's CSV columns (docs/IMPORT-EXPORT.md). */
	csv: (doc) => exportCsv(exportRoom(doc)),
	/** The live backlog as a Markdown page for a wiki. */
	md: (doc) => exportMarkdown(exportRoom(doc)),
	/** For Jira's CSV importer: updates the imported issues, creates split children under them. */
	jira: (doc) => exportJiraUpdate(exportRoom(doc)),
	/** For Azure Boards' CSV import, Agile process (Story Points). */
	azure: (doc) => exportAzureUpdate(exportRoom(doc), 'agile'),
	/** For Azure Boards' CSV import, Scrum process (Effort, Product Backlog Item). */
	'azure-scrum': (doc) => exportAzureUpdate(exportRoom(doc), 'scrum')
};
