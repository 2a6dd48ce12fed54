/** One operation of a Yjs text delta (what `YTextEvent.delta` holds). */
export interface DeltaOp {
	insert?: unknown;
	retain?: number;
	delete?: number;
}

/**
 * Where a caret at `position` ends up after someone else's change `delta`: text inserted before
 * it pushes it right, text deleted before it pulls it left, and an insert exactly at the caret
 * goes before it (the other person's text appears after where you were, not under your caret).
 * @example shiftPosition(5, [{ retain: 2 }, { insert: 'abc' }]) // 8
 */
export function shiftPosition(position: number, delta: readonly DeltaOp[]): number {
	let index = 0;
	let result = position;
	for (const op of delta) {
		if (index >= position) break;
		if (op.retain !== undefined) {
			index += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			result += length;
			index += length;
			position += length;
		} else if (op.delete !== undefined) {
			const removed = Math.min(op.delete, position - index);
			result -= removed;
			position -= removed;
		}
	}
	return result;
}
