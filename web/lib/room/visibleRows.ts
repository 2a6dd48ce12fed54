import type { ItemKind, ItemStatus } from '$shared/item';
import { sameLabel } from '$shared/labels';
import type { BacklogRow } from './backlogRows';

/** What the find bar asks for; empty fields do not narrow the list. */
export interface RowFilter {
	text: string;
	kind: ItemKind | '';
	status: ItemStatus | '';
	label: string;
	ready: '' | 'ready' | 'not-ready';
}

export const NO_FILTER: RowFilter = Object.freeze({ text: '', kind: '', status: '', label: '', ready: '' });

/** What a row does not carry but the filter needs, read only when the filter asks for it. */
export interface RowFacts {
	description(id: string): string;
	/** The text of the item's live acceptance criteria, one per line. */
	criteria(id: string): string;
	ready(id: string): boolean;
}

/** True when the filter narrows nothing. */
export function isEmptyFilter(filter: RowFilter): boolean {
	return !filter.text.trim() && !filter.kind && !filter.status && !filter.label && !filter.ready;
}

function matches(row: BacklogRow, filter: RowFilter, facts: RowFacts): boolean {
	if (filter.kind && row.kind !== filter.kind) return false;
	if (filter.status && row.status !== filter.status) return false;
	if (filter.label && !row.labels.some((label) => sameLabel(label, filter.label))) return false;
	if (filter.ready && facts.ready(row.id) !== (filter.ready === 'ready')) return false;
	const needle = filter.text.trim().toLocaleLowerCase();
	if (!needle) return true;
	const found = (haystack: string) => haystack.toLocaleLowerCase().includes(needle);
	return found(row.title) || row.labels.some(found) || found(facts.description(row.id)) || found(facts.criteria(row.id));
}

/**
 * The rows the list shows: the filter keeps matching rows, with their ancestors for context and
 * their descendants (a matching parent brings its children); then the children of collapsed rows
 * are hidden. Order and row data are unchanged. `rows` must be depth first, as `backlogRows` gives.
 * @example visibleRows(session.backlog.rows, { collapsed: ui.collapsed, filter: ui.filter, facts: rowFacts(doc) })
 */
export function visibleRows(
	rows: readonly BacklogRow[],
	{ collapsed, filter, facts }: { collapsed: ReadonlySet<string>; filter: RowFilter; facts: RowFacts }
): readonly BacklogRow[] {
	// The common case, kept cheap and identical for a long list: nothing narrows it.
	if (collapsed.size === 0 && isEmptyFilter(filter)) return rows;
	const parentOf = new Map(rows.map((row) => [row.id, row.parentId]));
	const ancestors = function* (id: string) {
		// Bounded by the row count: backlogRows never yields a cycle, but this stays safe if fed one.
		let at = parentOf.get(id) ?? null;
		for (let steps = 0; at !== null && steps < rows.length; steps++) {
			yield at;
			at = parentOf.get(at) ?? null;
		}
	};
	let kept: Set<string> | null = null;
	if (!isEmptyFilter(filter)) {
		const hits = new Set(rows.filter((row) => matches(row, filter, facts)).map((row) => row.id));
		kept = new Set(hits);
		for (const row of rows) {
			const lineage = [...ancestors(row.id)];
			if (hits.has(row.id)) for (const id of lineage) kept.add(id);
			else if (lineage.some((id) => hits.has(id))) kept.add(row.id);
		}
	}
	return rows.filter((row) => (kept === null || kept.has(row.id)) && ![...ancestors(row.id)].some((id) => collapsed.has(id)));
}
