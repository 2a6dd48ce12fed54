import type { ItemKind, ItemStatus } from '../item';
import type { RoomJson } from '../exportJson';
import { csvText } from './csvWriter';
import { exportTree, flattenTree } from './exportTree';
import { escapeLabel } from './labelText';
import { SOURCE_HEADERS, sourceCells } from './sourceText';

/** Jira's names for our kinds and statuses (our CSV import reads them back). */
const ISSUE_TYPE: Record<ItemKind, string> = { story: 'Story', bug: 'Bug', task: 'Task', spike: 'Spike', epic: 'Epic' };
const STATUS: Record<ItemStatus, string> = { new: 'To Do', 'needs-refinement': 'Needs Refinement', ready: 'Ready', done: 'Done' };

/**
 * The live backlog as CSV with the columns Jira's CSV importer expects: `Issue Id` and
 * `Parent Id` link children to parents, `Labels` repeats once per label, acceptance criteria
 * are one per line ("[x] text"). Rows are in backlog order, parents before children. Cells
 * that a spreadsheet would run as a formula are guarded with a leading `'` (csvWriter.ts). When
 * items came from a tracker, four `Source …` columns keep where (our import reads them back).
 */
export function exportCsv(room: RoomJson): string {
	const nodes = flattenTree(exportTree(room));
	const number = new Map(nodes.map((node, i) => [node.item.id, String(i + 1)]));
	const labelColumns = Math.max(1, ...nodes.map((node) => node.item.labels.length));
	const sources = nodes.some(({ item }) => item.source);
	const header = ['Issue Id', 'Parent Id', 'Summary', 'Issue Type', 'Status', 'Story Points', 'Description', 'Acceptance Criteria', ...Array(labelColumns).fill('Labels'), ...(sources ? SOURCE_HEADERS : [])];
	const rows = nodes.map(({ item }) => [
		number.get(item.id)!,
		item.parent !== null ? (number.get(item.parent) ?? '') : '',
		item.title,
		ISSUE_TYPE[item.kind],
		STATUS[item.status],
		item.estimate ?? '',
		item.description,
		item.criteria.map((c) => `[${c.done ? 'x' : ' '}] ${c.text}`).join('\n'),
		...Array.from({ length: labelColumns }, (_, i) => (i < item.labels.length ? escapeLabel(item.labels[i]) : '')),
		...(sources ? sourceCells(item) : [])
	]);
	return csvText([header, ...rows]);
}
