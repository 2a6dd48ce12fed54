import type { CsvMapping } from '$shared/io/csvHeaders';
import type { ImportFormat } from '$shared/io/detect';
import type { DraftItem } from '$shared/io/draft';
import type { ImportProblem } from '$shared/io/problems';
import type { RoomJson } from '$shared/exportJson';

/** Messages between the import dialog and its worker (web/lib/io/importWorker.ts). */
export type ToWorker =
	/** Read a text: detect or use `format`, parse it whole, keep it for the next steps. */
	| { type: 'read'; text: string; fileName: string; format: ImportFormat | null; baseUrl: string | null }
	/** Convert the kept CSV again with another column mapping. */
	| { type: 'map'; mapping: CsvMapping }
	/** Write the kept draft into a scratch document after `after` and send its update; labels take the room's spellings (`labels`). */
	| { type: 'build'; after: string | null; by: string; labels: string[] };

export type FromWorker =
	| { type: 'progress'; stage: 'reading' | 'building'; done: number }
	| ({ type: 'read' } & ReadSummary)
	| { type: 'built'; update: Uint8Array; count: number }
	| { type: 'failed'; message: string };

/** What the dialog shows after a read or a new mapping. */
export interface ReadSummary {
	format: ImportFormat;
	/** CSV only: the header row, the mapping in use and the first rows' cells. */
	headers: string[];
	mapping: CsvMapping;
	samples: string[][];
	/** The first items, for the preview table. */
	preview: PreviewItem[];
	count: number;
	problems: ImportProblem[];
	/** A room export (JSON): imported on the page with importRoom, which updates items by id. */
	room: RoomJson | null;
	/** A room name the file suggests. */
	name: string | null;
}

export type PreviewItem = Pick<DraftItem, 'line' | 'title' | 'kind' | 'status' | 'estimate' | 'labels'> & {
	criteria: number;
	parent: string | null;
};

export const PREVIEW_ROWS = 20;
