import type { MoveTarget } from '$shared/order';
import type { BacklogRow } from './backlogRows';
import type { KeyboardMove } from './reorder';

/** Ids of the rows that share a parent, in backlog order. */
export function siblingIds(rows: readonly BacklogRow[], parentId: string | null): string[] {
	return rows.filter((row) => row.parentId === parentId).map((row) => row.id);
}

/**
 * Where a group of selected siblings goes for a bulk move: one place up or down as a block
 * (past the nearest unselected sibling), or to the top or bottom among its siblings. Null when
 * the group is already there. `siblings` are all the group's siblings in order, selected or not.
 * @example moveItems(doc, ids, groupMoveTarget(siblings, new Set(ids), 'up')!, origin)
 */
export function groupMoveTarget(siblings: readonly string[], selected: ReadonlySet<string>, move: KeyboardMove): MoveTarget | null {
	const places = siblings.flatMap((id, index) => (selected.has(id) ? [index] : []));
	if (places.length === 0) return null;
	const first = places[0];
	const last = places[places.length - 1];
	const unselected = (from: number, step: 1 | -1, until: number) => {
		for (let i = from; step > 0 ? i <= until : i >= until; i += step) if (!selected.has(siblings[i])) return siblings[i];
		return null;
	};
	switch (move) {
		case 'up': {
			const anchor = unselected(first - 1, -1, 0);
			return anchor === null ? null : { before: anchor };
		}
		case 'down': {
			const anchor = unselected(last + 1, 1, siblings.length - 1);
			return anchor === null ? null : { after: anchor };
		}
		case 'top': {
			// Already a block at the top: nothing unselected comes before the last selected one.
			const anchor = unselected(0, 1, last);
			return anchor === null ? null : { before: anchor };
		}
		case 'bottom': {
			const anchor = unselected(siblings.length - 1, -1, first);
			return anchor === null ? null : { after: anchor };
		}
	}
}

/** Where a drop lands: before or after a row. */
export type DropPlace = 'before' | 'after';

/**
 * The move a drag and drop asks for: the dragged rows (all with one parent) go before or after
 * the row under the pointer, or, when that row has another parent, its ancestor among the dragged
 * rows' siblings; null when there is no such place (a child dropped outside its parent) or the
 * drop would not move anything.
 */
export function dropMoveTarget(
	rowsById: ReadonlyMap<string, BacklogRow>,
	dragged: readonly string[],
	overId: string,
	place: DropPlace
): MoveTarget | null {
	const first = rowsById.get(dragged[0]);
	if (!first) return null;
	let over = rowsById.get(overId);
	// Dropping on a child of a sibling: that sibling is the anchor.
	while (over && over.parentId !== first.parentId) over = over.parentId === null ? undefined : rowsById.get(over.parentId);
	if (!over || dragged.includes(over.id)) return null;
	if (dragged.length === 1) {
		const neighbour = place === 'before' ? over.siblings.previous : over.siblings.next;
		if (neighbour === dragged[0]) return null;
	}
	return place === 'before' ? { before: over.id } : { after: over.id };
}
