import type { RoomJson } from '../exportJson';
import { exportTree, type ExportNode } from './exportTree';
import { joinLabels } from './labelText';
import { escapeInline } from './markdownEscape';
import { sourceFact } from './sourceText';

const ESCAPE = /^(\s*)([#*+\->]|\d+[.)]|\[|\\)/;

/**
 * A description line that Markdown (or our import) would read as structure gets a backslash,
 * then HTML and links are made inert (in that order: the inline escape must see every backslash).
 */
const escapeLine = (line: string) => escapeInline(line.replace(ESCAPE, '$1\\$2'));

/**
 * A fence opener exactly as CommonMark reads one (at most three spaces of indent; a backtick
 * fence's info string has no backtick). Lines inside a fence go out raw, so the exporter must
 * never take for a fence what a renderer reads as a paragraph, where raw HTML would run.
 */
const FENCE_OPEN = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;

/** Whether `line` closes the fence opened by `opener` (same character, at least as long, nothing after). */
function closesFence(line: string, opener: string): boolean {
	const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
	return match !== null && match[1][0] === opener[0] && match[1].length >= opener.length;
}

/** Facts about an item in one line; `markdownToDraft` reads it back. */
function facts(node: ExportNode): string {
	const { item } = node;
	const parts = [`Kind: ${item.kind}`, `Status: ${item.status}`];
	if (item.estimate !== null) parts.push(`Estimate: ${item.estimate}`);
	if (item.labels.length) parts.push(`Labels: ${joinLabels(item.labels)}`);
	if (item.source) parts.push(`Source: ${sourceFact(item.source)}`);
	return `_${parts.join(' · ')}_`;
}

/**
 * The live backlog as a Markdown page for a wiki: the room name as the page title, each item
 * a heading (children one level deeper, down to `######`), a line of facts, the description,
 * and the acceptance criteria as a task list. `markdownToDraft` reads it back into the same
 * items and criteria.
 */
export function exportMarkdown(room: RoomJson): string {
	const out: string[] = [`# ${escapeInline(room.room.name || 'Backlog')}`, ''];
	const visit = (node: ExportNode) => {
		const { item } = node;
		out.push(`${'#'.repeat(Math.min(6, node.depth + 2))} ${escapeInline(item.title)}`, '', escapeInline(facts(node)), '');
		if (item.description.trim()) {
			let fence: string | null = null;
			for (const line of item.description.split('\n')) {
				if (fence !== null) {
					out.push(line);
					if (closesFence(line, fence)) fence = null;
					continue;
				}
				const opener = FENCE_OPEN.exec(line);
				fence = opener ? opener[1] : null;
				out.push(opener ? line : escapeLine(line));
			}
			// A fence left open would swallow the items after it.
			if (fence !== null) out.push(fence);
			out.push('');
		}
		if (item.criteria.length) {
			out.push('**Acceptance criteria**', '');
			for (const c of item.criteria) out.push(`- [${c.done ? 'x' : ' '}] ${escapeInline(c.text.replace(/\s*\n\s*/g, ' '))}`);
			out.push('');
		}
		node.children.forEach(visit);
	};
	exportTree(room).forEach(visit);
	return out.join('\n').replace(/\n+$/, '\n');
}
