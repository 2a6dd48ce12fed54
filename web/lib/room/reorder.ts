import type { MoveTarget } from '$shared/order';
import type { BacklogRow } from './backlogRows';

/** The keyboard moves: one place up or down, or to the top or bottom of its siblings. */
export type KeyboardMove = 'up' | 'down' | 'top' | 'bottom';

/**
 * Where a keyboard move puts a row, among its siblings (a child stays under its parent), or null
 * when it is already there. Top-level items use 'top' and 'bottom' of the whole backlog.
 * @example moveItem(doc, row.id, moveTargetFor(row, 'up')!, origin)
 */
export function moveTargetFor(row: BacklogRow, move: KeyboardMove): MoveTarget | null {
	const { previous, next, first, last } = row.siblings;
	const topLevel = row.parentId === null;
	switch (move) {
		case 'up':
			return previous === null ? null : { before: previous };
		case 'down':
			return next === null ? null : { after: next };
		case 'top':
			return previous === null ? null : topLevel ? 'top' : { before: first };
		case 'bottom':
			return next === null ? null : topLevel ? 'bottom' : { after: last };
	}
}

/** The keyboard move a key press asks for: Alt+↑/↓, with Shift to the top/bottom. */
export function keyboardMoveOf(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey'>): KeyboardMove | null {
	if (!event.altKey || event.ctrlKey || event.metaKey) return null;
	if (event.key === 'ArrowUp') return event.shiftKey ? 'top' : 'up';
	if (event.key === 'ArrowDown') return event.shiftKey ? 'bottom' : 'down';
	return null;
}
