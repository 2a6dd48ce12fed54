import type { Change, ItemChanges } from '../../shared/history/changes';

const quote = (text: string | null) => (text === null ? '—' : JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text));

/** One change as a line of plain text (the rooms CLI's `changes`). */
export function describeChange(change: Change): string {
	switch (change.type) {
		case 'added':
		case 'deleted':
		case 'restored':
		case 'removed':
			return change.type;
		case 'moved':
			return `moved ${Math.abs(change.places)} place${Math.abs(change.places) === 1 ? '' : 's'} ${change.places > 0 ? 'down' : 'up'}`;
		case 'split':
			return `split into ${change.children.map((child) => quote(child.title)).join(', ')}`;
		case 'text':
			return `${change.field}: ${quote(change.before)} → ${quote(change.after)}`;
		case 'value':
			return `${change.field}: ${quote(change.before)} → ${quote(change.after)}`;
		case 'set':
			return `${change.field}: ${[...change.added.map((x) => `+${x}`), ...change.removed.map((x) => `-${x}`)].join(' ')}`;
		case 'criterion':
			return change.change === 'edited' ? `criterion edited: ${quote(change.before)} → ${quote(change.after)}` : `criterion ${change.change}: ${quote(change.text)}`;
	}
}

/** Changes grouped by item, one item a paragraph. */
export function describeChanges(items: readonly ItemChanges[]): string {
	return items.map((item) => [`${item.id}  ${quote(item.title)}`, ...item.changes.map((change) => `  ${describeChange(change)}`)].join('\n')).join('\n') + (items.length ? '\n' : '');
}
