import { expect, test } from 'vitest';
import { RowSelection } from './RowSelection.svelte';

const order = ['a', 'b', 'c', 'd', 'e'];

test('Shift ticks every row from the anchor, in either direction, and unticks the same way', () => {
	const selection = new RowSelection();
	selection.set('b', true);
	selection.set('d', true, { range: true, order });
	expect(selection.pick(order.map((id) => ({ id }))).map((r) => r.id)).toEqual(['b', 'c', 'd']);
	selection.set('a', false, { range: true, order });
	expect(selection.pick(order.map((id) => ({ id }))).map((r) => r.id)).toEqual([]);
	selection.replace(order);
	expect(selection.size).toBe(5);
	selection.clear();
	expect(selection.has('a')).toBe(false);
});
