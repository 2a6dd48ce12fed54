import type { DraftCriterion } from './draft';
import type { ItemKind, ItemStatus } from '../item';

/**
 * Reading one cell of another tool's export into our fields. Each tool names its types and
 * states its own way; these tables hold the names their documentation and sample exports use.
 */

/** Labels longer than this are refused (the model's own limit, see cleanLabel). */
export const MAX_LABEL_LENGTH = 40;

const norm = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

const KINDS: Record<string, ItemKind> = {
	story: 'story', 'user story': 'story', 'product backlog item': 'story', pbi: 'story', requirement: 'story',
	improvement: 'story', 'new feature': 'story', 'feature request': 'story', enhancement: 'story', issue: 'story',
	bug: 'bug', defect: 'bug', incident: 'bug', problem: 'bug',
	task: 'task', 'sub task': 'task', subtask: 'task', chore: 'task',
	spike: 'spike', research: 'spike', investigation: 'spike',
	epic: 'epic', feature: 'epic', initiative: 'epic'
};

const STATUSES: Record<string, ItemStatus> = {
	new: 'new', 'to do': 'new', todo: 'new', open: 'new', backlog: 'new', proposed: 'new', triage: 'new', unstarted: 'new', reopened: 'new',
	'needs refinement': 'needs-refinement', refinement: 'needs-refinement', 'in refinement': 'needs-refinement', grooming: 'needs-refinement', draft: 'needs-refinement',
	ready: 'ready', 'ready for development': 'ready', 'selected for development': 'ready', approved: 'ready', committed: 'ready',
	'in progress': 'ready', active: 'ready', started: 'ready', 'in review': 'ready',
	done: 'done', closed: 'done', resolved: 'done', completed: 'done', removed: 'done', canceled: 'done', cancelled: 'done', 'won t do': 'done', duplicate: 'done'
};

/** Our kind for another tool's type name, or null when unknown. */
export function readKind(value: string): ItemKind | null {
	return KINDS[norm(value)] ?? null;
}

/** Our status for another tool's state name, or null when unknown. */
export function readStatus(value: string): ItemStatus | null {
	return STATUSES[norm(value)] ?? null;
}

/**
 * An estimate cell as a card value: numbers lose trailing zeros ("5.0" → "5"), anything
 * else of 1 to 8 characters is kept ("M", "½"); longer text is not an estimate (null).
 */
export function readEstimateCell(value: string): string | null {
	const clean = value.trim();
	if (/^\d+([.,]\d+)?$/.test(clean)) return String(Number(clean.replace(',', '.')));
	return clean.length >= 1 && clean.length <= 8 ? clean : null;
}

const CHECKBOX = /^\[( |x|X)\]\s*(.*)$/;
const BULLET = /^(?:[-*+•]|\d+[.)])\s+/;

/** One line of a criteria list: "- [x] text", "[ ] text", "* text", "1. text" or plain text. */
export function readCriterionLine(line: string): DraftCriterion | null {
	let text = line.trim().replace(BULLET, '');
	let done = false;
	const box = CHECKBOX.exec(text);
	if (box) {
		done = box[1] !== ' ';
		text = box[2];
	}
	text = text.trim();
	return text ? { text, done } : null;
}

/** Acceptance criteria from one cell: one per line. */
export function splitCriteria(value: string): DraftCriterion[] {
	return htmlToText(value)
		.split(/\r?\n/)
		.map(readCriterionLine)
		.filter((c): c is DraftCriterion => c !== null);
}

const MARKUP = /<\/(?:div|p|li|ul|ol|span|b|i|em|strong|u|h[1-6]|table|tr|td)>|<br\s*\/?>/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/**
 * Azure DevOps exports descriptions and criteria as HTML. When a cell is clearly such markup,
 * keep its text: block ends become line breaks and tags go. The result is stored and shown
 * as text, never as HTML; a cell that only mentions a tag (`<script>` in a title) is left as it is.
 */
export function htmlToText(value: string): string {
	if (!MARKUP.test(value)) return value;
	return value
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<li[^>]*>/gi, '\n- ')
		.replace(/<\/(?:div|p|li|h[1-6]|tr)>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name])
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/**
 * A priority or rank cell as something to sort by: numbers as they are (Azure's Backlog
 * Priority, Stack Rank), the usual priority words by urgency, other text (Jira's LexoRank)
 * by its characters. Empty cells sort last.
 */
export function priorityKey(value: string): [number, number, string] {
	const clean = value.trim();
	if (!clean) return [3, 0, ''];
	const n = Number(clean);
	if (Number.isFinite(n)) return [0, n, ''];
	const word = PRIORITY_WORDS[norm(clean).replace(/^\d+\s*/, '')];
	if (word !== undefined) return [1, word, ''];
	return [2, 0, clean];
}

const PRIORITY_WORDS: Record<string, number> = {
	blocker: 0, highest: 0, urgent: 0, critical: 0,
	high: 1, major: 1,
	medium: 2, normal: 2,
	low: 3, minor: 3,
	lowest: 4, trivial: 4,
	'no priority': 5, none: 5
};

/** Compare two priority keys (for a stable sort). */
export function comparePriority(a: [number, number, string], b: [number, number, string]): number {
	return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}
