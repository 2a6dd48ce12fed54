/// <reference lib="webworker" />
import * as Y from 'yjs';
import { parseRoomJson, RoomImportError } from '../../../shared/importJson';
import { addDraftItems } from '../../../shared/io/addDraftItems';
import { guessMapping, type CsvMapping } from '../../../shared/io/csvHeaders';
import { csvToDraft } from '../../../shared/io/csvDraft';
import { readCsv, type CsvTable } from '../../../shared/io/csvTable';
import { detectFormat, type ImportFormat } from '../../../shared/io/detect';
import type { Draft } from '../../../shared/io/draft';
import { markdownToDraft, plainLinesToDraft } from '../../../shared/io/markdownImport';
import { textProblem } from '../../../shared/io/textCheck';
import { importOrigin } from '../../../shared/origins';
import { PREVIEW_ROWS, type FromWorker, type ReadSummary, type ToWorker } from './protocol';

/**
 * Reads and converts an imported file off the page's thread, so a 10,000-row CSV never
 * freezes the page: parsing, mapping and building the items in a scratch Y.Doc all happen
 * here. The page only applies the finished update, in one transaction.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let state: { format: ImportFormat; table: CsvTable | null; mapping: CsvMapping; draft: Draft; fileName: string; baseUrl: string | null } | null = null;

const send = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

function summary(format: ImportFormat, draft: Draft, table: CsvTable | null, mapping: CsvMapping): ReadSummary {
	return {
		format,
		headers: table?.headers ?? [],
		mapping,
		samples: table ? table.rows.slice(0, 3).map((r) => r.cells) : [],
		preview: draft.items.slice(0, PREVIEW_ROWS).map((item) => ({
			line: item.line,
			title: item.title,
			kind: item.kind,
			status: item.status,
			estimate: item.estimate,
			labels: item.labels,
			criteria: item.criteria.length,
			parent: item.parent === null ? null : draft.items[item.parent].title
		})),
		count: draft.items.length,
		// A broken 10,000-row file can have 10,000 problems; the first ones are enough to act on.
		problems: draft.problems.slice(0, 500),
		room: null,
		name: draft.name
	};
}

function read(text: string, fileName: string, chosen: ImportFormat | null, baseUrl: string | null): void {
	const format = chosen ?? detectFormat(text, fileName);
	// An empty file or an image renamed .csv is said to be so, before any format is tried.
	const unreadable = textProblem(text);
	if (unreadable) {
		state = null;
		send({ type: 'read', ...summary(format, { name: null, items: [], problems: [unreadable] }, null, []) });
		return;
	}
	if (format === 'json') {
		state = null;
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch (error) {
			throw new RoomImportError('', `not JSON (${(error as Error).message})`);
		}
		const room = parseRoomJson(data);
		const items = room.items.filter((i) => i.deletedAt === null);
		const titles = new Map(room.items.map((i) => [i.id, i.title]));
		send({
			type: 'read',
			format,
			headers: [],
			mapping: [],
			samples: [],
			preview: items.slice(0, PREVIEW_ROWS).map((i) => ({ line: 0, title: i.title, kind: i.kind, status: i.status, estimate: i.estimate, labels: i.labels, criteria: i.criteria.length, parent: i.parent ? (titles.get(i.parent) ?? null) : null })),
			count: room.items.length,
			problems: [],
			room,
			name: room.room.name || null
		});
		return;
	}
	let table: CsvTable | null = null;
	let mapping: CsvMapping = [];
	let draft: Draft;
	if (format === 'csv') {
		table = readCsv(text, { onProgress: (done) => send({ type: 'progress', stage: 'reading', done }) });
		mapping = guessMapping(table.headers);
		draft = csvToDraft(table, mapping, { baseUrl });
	} else draft = format === 'markdown' ? markdownToDraft(text) : plainLinesToDraft(text);
	state = { format, table, mapping, draft, fileName, baseUrl };
	send({ type: 'read', ...summary(format, draft, table, mapping) });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
	const message = event.data;
	try {
		if (message.type === 'read') read(message.text, message.fileName, message.format, message.baseUrl);
		else if (message.type === 'map') {
			if (!state?.table) throw new Error('nothing to map: read a CSV first');
			state.mapping = message.mapping;
			state.draft = csvToDraft(state.table, message.mapping, { baseUrl: state.baseUrl });
			send({ type: 'read', ...summary(state.format, state.draft, state.table, state.mapping) });
		} else if (message.type === 'build') {
			if (!state) throw new Error('nothing to import: read a file first');
			const doc = new Y.Doc();
			addDraftItems(doc, state.draft, importOrigin(state.fileName || state.format), {
				after: message.after,
				labels: message.labels,
				by: message.by,
				onProgress: (done) => send({ type: 'progress', stage: 'building', done })
			});
			const update = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			send({ type: 'built', update, count: state.draft.items.length }, [update.buffer]);
		}
	} catch (error) {
		send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
	}
};
