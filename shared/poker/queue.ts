/**
 * The round to put on the table after this one: the next open round in queue order (the
 * backlog's order), after the current item and wrapping around; null when none is left.
 * @example nextInQueue(['a', 'b', 'c'], [{ id: 'r', itemId: 'c' }], 'a') // { id: 'r', itemId: 'c' }
 */
export function nextInQueue<R extends { itemId: string }>(order: readonly string[], open: readonly R[], currentItemId: string): R | null {
	const position = new Map(order.map((id, index) => [id, index]));
	const here = position.get(currentItemId) ?? -1;
	const candidates = open.filter((round) => round.itemId !== currentItemId && position.has(round.itemId));
	const distance = (round: R) => (position.get(round.itemId)! - here + order.length) % order.length;
	return candidates.sort((a, b) => distance(a) - distance(b))[0] ?? null;
}
