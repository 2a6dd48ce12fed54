/**
 * Which of our fields a CSV column fills. Jira, Azure DevOps, GitHub Projects and Linear each
 * name their columns their own way; `guessTarget` knows the names their exports use, and the
 * person can change any choice in the mapping step.
 */
export const CSV_TARGETS = ['title', 'description', 'criteria', 'kind', 'status', 'estimate', 'labels', 'priority', 'parent', 'key'] as const;
export type CsvTarget = (typeof CSV_TARGETS)[number];

/** One entry per column, in column order; null = the column is not imported. */
export type CsvMapping = (CsvTarget | null)[];

/** Fields read from several columns: every column adds to them (Jira repeats `Labels`). */
export const MULTI_VALUED: ReadonlySet<CsvTarget> = new Set(['labels', 'criteria', 'key', 'parent']);

const norm = (header: string) =>
	header
		.replace(/^\uFEFF/, '')
		.toLowerCase()
		// Jira writes custom fields as "Custom field (Story Points)".
		.replace(/^custom field \((.*)\)$/, '$1')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();

const NAMES: Record<string, CsvTarget> = {
	summary: 'title', title: 'title', name: 'title', 'issue title': 'title', 'work item title': 'title',
	description: 'description', body: 'description', details: 'description', 'repro steps': 'description',
	'acceptance criteria': 'criteria', 'acceptance criterion': 'criteria', ac: 'criteria', 'definition of done': 'criteria',
	'issue type': 'kind', type: 'kind', 'work item type': 'kind', kind: 'kind', issuetype: 'kind',
	status: 'status', state: 'status',
	'story points': 'estimate', 'story point estimate': 'estimate', 'story point': 'estimate', points: 'estimate', effort: 'estimate',
	estimate: 'estimate', size: 'estimate', 't shirt size': 'estimate',
	labels: 'labels', label: 'labels', tags: 'labels', tag: 'labels',
	priority: 'priority', rank: 'priority', 'backlog priority': 'priority', 'stack rank': 'priority',
	parent: 'parent', 'parent id': 'parent', 'parent key': 'parent', 'parent issue': 'parent', 'epic link': 'parent', 'parent link': 'parent',
	'parent summary': 'parent', epic: 'parent',
	'issue key': 'key', key: 'key', 'issue id': 'key', id: 'key', 'work item id': 'key', number: 'key', 'issue number': 'key',
	url: 'key', identifier: 'key'
};

/** The field a column header names, or null when it names none of ours. */
export function guessTarget(header: string): CsvTarget | null {
	const name = norm(header);
	return NAMES[name] ?? (/^title \d+$/.test(name) ? 'title' : null);
}

/**
 * A mapping for a header row: every recognised column is used (a single-valued field takes
 * the first non-empty of its columns on each row, so Jira's "Story Points" and "Story point
 * estimate" both work). Only one column gives the order: a rank column (Jira's Rank, Azure's
 * Backlog Priority or Stack Rank) before a plain Priority.
 */
export function guessMapping(headers: readonly string[]): CsvMapping {
	const mapping = headers.map(guessTarget);
	const orderColumns = mapping.flatMap((target, i) => (target === 'priority' ? [i] : []));
	const keep = orderColumns.find((i) => norm(headers[i]) !== 'priority') ?? orderColumns[0];
	for (const i of orderColumns) if (i !== keep) mapping[i] = null;
	return mapping;
}

/** The level of an Azure DevOps tree-query title column ("Title 2" → 2), or 0. */
export function titleLevel(header: string): number {
	const match = /^title (\d+)$/.exec(norm(header));
	return match ? Number(match[1]) : 0;
}
