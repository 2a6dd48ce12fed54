import { MAX_CRITERION_LENGTH } from '../criteria';
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from '../items';
import { MAX_IMPORT_ITEMS } from '../importJson';
import { CSV_TARGETS, titleLevel, type CsvMapping, type CsvTarget } from './csvHeaders';
import type { CsvTable } from './csvTable';
import { breakCycles, draftItem, type Draft, type DraftItem } from './draft';
import type { ImportProblem } from './problems';
import { comparePriority, htmlToText, MAX_LABEL_LENGTH, priorityKey, readEstimateCell, readKind, readStatus, splitCriteria } from './values';
import { splitLabels } from './labelText';
import { sourceReader, type SourceOptions } from './trackerSource';

/** Spreadsheet programs' guard against formulas (`'=1+1`), which our CSV export also writes. */
const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** Other names a GitHub issue goes by: its URL, "owner/repo#12" (Parent issue column) and "#12". */
function aliases(key: string): string[] {
	const github = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(key);
	return github ? [key, `${github[1]}#${github[2]}`, `#${github[2]}`] : [key];
}

interface Row {
	item: DraftItem;
	level: number;
	priority: ReturnType<typeof priorityKey>;
	parents: string[];
}

/**
 * Turn CSV rows into a draft with the given column mapping. Every row's problems are
 * collected (with its line) rather than stopping at the first, so a person sees them all.
 * With a priority column, items are ordered by it (file order breaks ties). Each item keeps
 * where it lives in the tracker when the file says (see trackerSource.ts).
 */
export function csvToDraft(table: CsvTable, mapping: CsvMapping, options: SourceOptions = {}): Draft {
	const problems: ImportProblem[] = [...table.problems];
	const columns = new Map<CsvTarget, number[]>(CSV_TARGETS.map((t) => [t, []]));
	mapping.forEach((target, column) => target && column < table.headers.length && columns.get(target)!.push(column));
	if (columns.get('title')!.length === 0) return { name: null, items: [], problems: [{ line: 1, code: 'no-title-column' }] };
	if (table.rows.length > MAX_IMPORT_ITEMS) problems.push({ line: 0, code: 'too-many-items', detail: String(MAX_IMPORT_ITEMS) });

	const rows: Row[] = [];
	const readSource = sourceReader(table.headers, options);
	const unreadable = new Set(table.problems.map((p) => p.line));
	for (const { line, cells } of table.rows) {
		const width = table.headers.length;
		if (unreadable.has(line)) continue;
		// Trailing empty cells (a spreadsheet's stray delimiters) are forgiven; anything else is not.
		if (cells.length < width || cells.slice(width).some((cell) => cell.trim() !== '')) {
			problems.push({ line, code: 'field-count', detail: String(cells.length), expected: String(width) });
			continue;
		}
		const cell = (column: number) => unguard(cells[column] ?? '');
		const all = (target: CsvTarget) => columns.get(target)!.map(cell).filter((v) => v.trim() !== '');
		const first = (target: CsvTarget) => all(target)[0] ?? '';

		const titleColumn = columns.get('title')!.find((c) => cell(c).trim() !== '');
		const title = titleColumn === undefined ? '' : cell(titleColumn).replace(/\s+/g, ' ').trim();
		const item = draftItem(line, title);
		if (!title) problems.push({ line, code: 'title-missing' });
		else if (title.length > MAX_TITLE_LENGTH) problems.push({ line, code: 'title-too-long', detail: String(MAX_TITLE_LENGTH) });

		item.description = htmlToText(first('description')).replace(/\r\n?/g, '\n');
		if (item.description.length > MAX_DESCRIPTION_LENGTH) problems.push({ line, code: 'description-too-long', detail: String(MAX_DESCRIPTION_LENGTH) });
		item.criteria = all('criteria').flatMap(splitCriteria);
		if (item.criteria.some((c) => c.text.length > MAX_CRITERION_LENGTH)) problems.push({ line, code: 'criterion-too-long', detail: String(MAX_CRITERION_LENGTH) });

		const kind = first('kind').trim();
		if (kind) {
			const known = readKind(kind);
			if (known) item.kind = known;
			else problems.push({ line, code: 'kind-unknown', detail: kind });
		}
		const status = first('status').trim();
		if (status) {
			const known = readStatus(status);
			if (known) item.status = known;
			else problems.push({ line, code: 'status-unknown', detail: status });
		}
		const estimate = first('estimate').trim();
		if (estimate) {
			item.estimate = readEstimateCell(estimate);
			if (item.estimate === null) problems.push({ line, code: 'estimate-invalid', detail: estimate.slice(0, 40) });
		}
		const labels = new Set(all('labels').flatMap((cell) => splitLabels(cell, 'csv')));
		for (const label of labels) if (label.length > MAX_LABEL_LENGTH) problems.push({ line, code: 'label-too-long', detail: label.slice(0, 60) });
		item.labels = [...labels];
		item.keys = all('key').map((k) => k.trim()).flatMap(aliases);
		item.source = readSource?.(cell) ?? null;
		const level = titleColumn === undefined ? 0 : titleLevel(table.headers[titleColumn]);
		rows.push({ item, level, priority: priorityKey(first('priority')), parents: all('parent').map((p) => p.trim()) });
	}

	resolveParents(rows, problems);
	const order = rows.map((_, i) => i);
	if (columns.get('priority')!.length > 0) order.sort((a, b) => comparePriority(rows[a].priority, rows[b].priority) || a - b);
	const position = new Map(order.map((from, to) => [from, to]));
	const items = order.map((i) => rows[i].item);
	for (const item of items) if (item.parent !== null) item.parent = position.get(item.parent)!;
	breakCycles(items);
	return { name: null, items, problems: problems.sort((a, b) => a.line - b.line) };
}

/** Parents by the source's ids (then by title, for "Parent summary"), or by Azure tree level. */
function resolveParents(rows: Row[], problems: ImportProblem[]): void {
	const byKey = new Map<string, number>();
	const byTitle = new Map<string, number>();
	rows.forEach(({ item }, i) => {
		for (const key of item.keys) if (!byKey.has(key)) byKey.set(key, i);
		if (!byTitle.has(item.title)) byTitle.set(item.title, i);
	});
	const lastAtLevel: number[] = [];
	rows.forEach((row, i) => {
		if (row.level > 0) {
			lastAtLevel[row.level] = i;
			lastAtLevel.length = row.level + 1;
			const parent = lastAtLevel[row.level - 1];
			if (row.level > 1 && parent !== undefined) row.item.parent = parent;
		}
		if (row.parents.length === 0 || row.item.parent !== null) return;
		for (const value of row.parents) {
			const found = aliases(value).map((v) => byKey.get(v)).find((v) => v !== undefined) ?? byTitle.get(value);
			if (found !== undefined && found !== i) {
				row.item.parent = found;
				return;
			}
		}
		problems.push({ line: row.item.line, code: 'parent-unknown', detail: row.parents[0] });
	});
}
