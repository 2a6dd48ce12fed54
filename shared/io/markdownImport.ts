import { MAX_CRITERION_LENGTH } from '../criteria';
import { isItemKind, isItemStatus } from '../item';
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from '../items';
import { MAX_IMPORT_ITEMS } from '../importJson';
import { draftItem, type Draft, type DraftItem } from './draft';
import { unescapeInline } from './markdownEscape';
import type { ImportProblem } from './problems';
import { MAX_LABEL_LENGTH, readEstimateCell, readKind, readStatus } from './values';
import { splitLabels } from './labelText';
import { readSourceFact } from './sourceText';

const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const BULLET = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$/;
const CHECKBOX = /^\[( |x|X)\]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;
/** The line our Markdown export writes under a title: "Kind: story · Status: ready · Estimate: 5 · Labels: a, b · Source: jira PAY-2 <url>". */
const FACTS = /^_?((?:Kind|Status|Estimate|Labels|Source): (?:\\.|[^·\\])*?)(?: · ((?:Kind|Status|Estimate|Labels|Source): (?:\\.|[^·\\])*?))*_?$/;
const CRITERIA_HEADING = /^(\*\*|__)?acceptance criteria:?(\*\*|__)?:?$/i;
/** Our export escapes a description line that would read as Markdown structure ("\# not a heading"). */
const ESCAPED = /^(\s*)\\([#*+\->]|\d+[.)]|\[|\\)/;

interface Open {
	index: number;
	/** Heading level (1-6) or, for a bullet, 10 + its indentation. */
	depth: number;
}

/**
 * Read a Markdown outline: headings and bullets become items, a deeper heading or a nested
 * bullet becomes a child of the one above it, `- [ ]` and `- [x]` lines become acceptance
 * criteria of the item they sit under, other text becomes its description. A single `#`
 * heading on the first line, with the items under deeper headings, names the room instead.
 */
export function markdownToDraft(text: string): Draft {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	const items: DraftItem[] = [];
	const problems: ImportProblem[] = [];
	const open: Open[] = [];
	const description = new Map<number, string[]>();
	let name: string | null = null;
	let fenced = false;
	let justTitled = false;

	const firstLine = lines.findIndex((l) => l.trim() !== '');
	if (firstLine >= 0) {
		const h = HEADING.exec(lines[firstLine]);
		const h1s = lines.filter((l) => /^#\s/.test(l)).length;
		if (h && h[1].length === 1 && h1s === 1 && lines.some((l) => /^#{2,6}\s/.test(l))) {
			name = unescapeInline(h[2]);
			lines[firstLine] = '';
		}
	}

	const current = () => (open.length ? open[open.length - 1].index : null);
	const add = (line: number, title: string, depth: number) => {
		while (open.length && open[open.length - 1].depth >= depth) open.pop();
		const item = draftItem(line, unescapeInline(title.replace(/\s+/g, ' ').trim()));
		item.parent = current();
		if (item.title.length > MAX_TITLE_LENGTH) problems.push({ line, code: 'title-too-long', detail: String(MAX_TITLE_LENGTH) });
		items.push(item);
		open.push({ index: items.length - 1, depth });
		return item;
	};

	lines.forEach((raw, i) => {
		const line = i + 1;
		if (FENCE.test(raw)) fenced = !fenced;
		const heading = fenced ? null : HEADING.exec(raw);
		const bullet = fenced || heading ? null : BULLET.exec(raw);
		if (heading) {
			add(line, heading[2], heading[1].length);
			justTitled = true;
			return;
		}
		if (bullet) {
			const depth = 10 + bullet[1].replace(/\t/g, '    ').length;
			const box = CHECKBOX.exec(bullet[2]);
			if (box) {
				// A criterion belongs to the nearest item above it that is less indented.
				while (open.length && open[open.length - 1].depth >= depth) open.pop();
				const owner = current();
				const criterion = { text: box[2].trim(), done: box[1] !== ' ' };
				if (owner === null) {
					// A checklist with no item above it: each line is an item of its own.
					const item = add(line, criterion.text, depth);
					if (criterion.done) item.status = 'done';
					open.pop();
				} else {
					criterion.text = unescapeInline(criterion.text);
					if (criterion.text.length > MAX_CRITERION_LENGTH) problems.push({ line, code: 'criterion-too-long', detail: String(MAX_CRITERION_LENGTH) });
					if (criterion.text) items[owner].criteria.push(criterion);
				}
			} else if (bullet[2].trim()) {
				add(line, bullet[2], depth);
			}
			justTitled = false;
			return;
		}
		const owner = current();
		const trimmed = raw.trim();
		if (owner === null || CRITERIA_HEADING.test(trimmed)) return;
		if (justTitled && trimmed && FACTS.test(trimmed)) {
			readFacts(items[owner], unescapeInline(trimmed.replace(/^_|_$/g, '')), line, problems);
			justTitled = false;
			return;
		}
		if (trimmed) justTitled = false;
		const lines = description.get(owner) ?? [];
		lines.push(fenced || FENCE.test(raw) ? raw : unescapeInline(raw).replace(ESCAPED, '$1$2'));
		description.set(owner, lines);
	});

	for (const [index, lines] of description) {
		items[index].description = lines.join('\n').replace(/^\n+|\s+$/g, '');
		if (items[index].description.length > MAX_DESCRIPTION_LENGTH) problems.push({ line: items[index].line, code: 'description-too-long', detail: String(MAX_DESCRIPTION_LENGTH) });
	}
	for (const item of items) if (!item.title) problems.push({ line: item.line, code: 'title-missing' });
	if (items.length > MAX_IMPORT_ITEMS) problems.push({ line: 0, code: 'too-many-items', detail: String(MAX_IMPORT_ITEMS) });
	return { name, items, problems };
}

function readFacts(item: DraftItem, line: string, at: number, problems: ImportProblem[]): void {
	// Split on " · " the way labels are escaped: a label's own "·" is written "\\·".
	for (const part of splitOnFacts(line)) {
		const [key, ...rest] = part.split(': ');
		const value = rest.join(': ').trim();
		if (key === 'Kind') {
			const kind = isItemKind(value) ? value : readKind(value);
			if (kind) item.kind = kind;
			else problems.push({ line: at, code: 'kind-unknown', detail: value });
		} else if (key === 'Status') {
			const status = isItemStatus(value) ? value : readStatus(value);
			if (status) item.status = status;
			else problems.push({ line: at, code: 'status-unknown', detail: value });
		} else if (key === 'Estimate') {
			item.estimate = readEstimateCell(value);
			if (item.estimate === null) problems.push({ line: at, code: 'estimate-invalid', detail: value });
		} else if (key === 'Source') {
			item.source = readSourceFact(value);
		} else if (key === 'Labels') {
			item.labels = splitLabels(value, 'markdown');
			for (const label of item.labels) if (label.length > MAX_LABEL_LENGTH) problems.push({ line: at, code: 'label-too-long', detail: label.slice(0, 60) });
		}
	}
}

/** The parts of a facts line: " · " separates them unless its dot is escaped (kept escaped). */
function splitOnFacts(line: string): string[] {
	const parts: string[] = [];
	let start = 0;
	for (let i = 0; i < line.length; i++) {
		if (line[i] === '\\') i++;
		else if (line.startsWith(' · ', i)) {
			parts.push(line.slice(start, i));
			start = i + 3;
			i += 2;
		}
	}
	parts.push(line.slice(start));
	return parts;
}

/**
 * Pasted plain lines: every non-blank line is one item, in order.
 * @example plainLinesToDraft('Login with SSO\nExport to PDF') // two items
 */
export function plainLinesToDraft(text: string): Draft {
	const items: DraftItem[] = [];
	const problems: ImportProblem[] = [];
	text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
		const title = raw.replace(/\s+/g, ' ').trim();
		if (!title) return;
		if (title.length > MAX_TITLE_LENGTH) problems.push({ line: i + 1, code: 'title-too-long', detail: String(MAX_TITLE_LENGTH) });
		items.push(draftItem(i + 1, title));
	});
	if (items.length > MAX_IMPORT_ITEMS) problems.push({ line: 0, code: 'too-many-items', detail: String(MAX_IMPORT_ITEMS) });
	return { name: null, items, problems };
}
