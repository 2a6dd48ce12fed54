import { describe, expect, test } from 'vitest';
import { trashTree } from './TrashView.svelte';

const entry = (id: string, deletedAt: number, parent: string | null = null) => ({ id, title: id.toUpperCase(), deletedAt, parent });
const shape = (list: ReturnType<typeof trashTree>): unknown => list.map((node) => (node.children.length ? [node.id, shape(node.children)] : node.id));

describe('trashTree', () => {
	test('children deleted with their parent are listed under it; the rest newest first', () => {
		const tree = trashTree([entry('c1', 5, 'p'), entry('old', 1), entry('p', 5), entry('c2', 5, 'p'), entry('g', 5, 'c1'), entry('new', 9)]);
		expect(shape(tree)).toEqual(['new', ['p', [['c1', ['g']], 'c2']], 'old']);
	});

	test('a child whose parent is not in the trash stands alone', () => {
		expect(shape(trashTree([entry('c', 3, 'live-parent')]))).toEqual(['c']);
	});

	test('a parent loop written by a hostile peer loses nothing and does not recurse forever', () => {
		const tree = trashTree([entry('a', 1, 'b'), entry('b', 1, 'a'), entry('s', 2, 's')]);
		const ids: string[] = [];
		const walk = (list: ReturnType<typeof trashTree>) => list.forEach((node) => (ids.push(node.id), walk(node.children)));
		walk(tree);
		expect(ids.sort()).toEqual(['a', 'b', 's']);
	});
});
