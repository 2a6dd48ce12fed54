import type { RoomJson } from '../exportJson';
import { exportTree, type ExportNode } from './exportTree';
import { joinLabels } from './labelText';
import { sourceFact } from './sourceText';

const ESCAPE = /^(\s*)([#*+\->]|\d+[.)]|\[|\\)/;

/** A description line that Markdown (or our import) would read as structure gets a backslash. */
const escapeLine = (line: string) => line.replace(ESCAPE, '$1\\$2');

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
	const out: string[] = [`# ${room.room.name || 'Backlog'}`, ''];
	const visit = (node: ExportNode) => {
		const { item } = node;
		out.push(`${'#'.repeat(Math.min(6, node.depth + 2))} ${item.title}`, '', facts(node), '');
		if (item.description.trim()) {
			let fenced = false;
			for (const line of item.description.split('\n')) {
				if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
				out.push(fenced || /^\s*(```|~~~)/.test(line) ? line : escapeLine(line));
			}
			out.push('');
		}
		if (item.criteria.length) {
			out.push('**Acceptance criteria**', '');
			for (const c of item.criteria) out.push(`- [${c.done ? 'x' : ' '}] ${c.text.replace(/\s*\n\s*/g, ' ')}`);
			out.push('');
		}
		node.children.forEach(visit);
	};
	exportTree(room).forEach(visit);
	return out.join('\n').replace(/\n+$/, '\n');
}
