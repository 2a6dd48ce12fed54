import type { ItemJson, RoomJson } from '../exportJson';

export interface ExportNode {
	item: ItemJson;
	depth: number;
	children: ExportNode[];
}

/**
 * The live backlog of a room export as a tree in backlog order: children under their live
 * parent; an item whose parent is in the trash, missing or on a cycle is a root (as in the room).
 */
export function exportTree(room: RoomJson): ExportNode[] {
	const live = room.items.filter((item) => item.deletedAt === null);
	const byId = new Map(live.map((item) => [item.id, item]));
	const parentOf = (id: string) => {
		const parent = byId.get(id)?.parent ?? null;
		return parent !== null && byId.has(parent) ? parent : null;
	};
	const onCycle = (id: string) => {
		const seen = new Set<string>();
		for (let at: string | null = id; at !== null; at = parentOf(at)) {
			if (seen.has(at)) return true;
			seen.add(at);
		}
		return false;
	};
	const nodes = new Map(live.map((item) => [item.id, { item, depth: 0, children: [] as ExportNode[] }]));
	const roots: ExportNode[] = [];
	for (const item of live) {
		const parent = parentOf(item.id);
		if (parent !== null && !onCycle(item.id)) nodes.get(parent)!.children.push(nodes.get(item.id)!);
		else roots.push(nodes.get(item.id)!);
	}
	const setDepth = (node: ExportNode, depth: number) => {
		node.depth = depth;
		for (const child of node.children) setDepth(child, depth + 1);
	};
	for (const root of roots) setDepth(root, 0);
	return roots;
}

/** The tree's nodes, parents before children, in backlog order. */
export function flattenTree(nodes: ExportNode[]): ExportNode[] {
	const out: ExportNode[] = [];
	const visit = (node: ExportNode) => {
		out.push(node);
		node.children.forEach(visit);
	};
	nodes.forEach(visit);
	return out;
}
