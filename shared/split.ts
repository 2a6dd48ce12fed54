import type * as Y from 'yjs';
import { getItems, requireItem, InvalidInputError } from './doc';
import { buildCriterion, readCriteria } from './criteria';
import { numericEstimate } from './estimates';
import { childIds } from './hierarchy';
import { newId } from './ids';
import { F, isDeleted, isItemKind, itemCriteria, itemNullable, itemString, type ItemKind } from './item';
import { cleanTitle, createItem, MAX_DESCRIPTION_LENGTH } from './items';
import { orderedItems } from './order';
import type { Origin } from './origins';
import { isRank, ranksBetween } from './rank';

export interface SplitChild {
	title: string;
	description?: string;
	kind?: ItemKind;
	/** Ids of the parent's acceptance criteria that move to this child. */
	criteria?: string[];
	/** For deterministic tests and imports; default: a new random id. */
	id?: string;
}

/**
 * Split an item into children. Each child links to the parent; chosen acceptance
 * criteria move from the parent to the child (removed softly from the parent).
 * Children are ranked right after the parent and its existing children. One
 * transaction: one undo step. Returns the children's ids.
 * @example splitItem(doc, epicId, [{ title: 'Backend' }, { title: 'UI', criteria: [cId] }], origin)
 */
export function splitItem(doc: Y.Doc, parentId: string, children: readonly SplitChild[], origin: Origin, by = ''): string[] {
	if (children.length === 0) throw new InvalidInputError('A split needs at least one child');
	const ids = children.map((child) => child.id ?? newId());
	// createItem checks each child too, but Yjs does not roll back a transaction:
	// check them all before the first is created, or a bad later child leaves half a split.
	for (const child of children) {
		cleanTitle(child.title);
		if ((child.description ?? '').length > MAX_DESCRIPTION_LENGTH) {
			throw new InvalidInputError(`A description can be at most ${MAX_DESCRIPTION_LENGTH} characters`);
		}
		if (child.kind !== undefined && !isItemKind(child.kind)) throw new InvalidInputError(`Unknown kind "${String(child.kind)}"`);
	}
	if (new Set(ids).size !== ids.length) throw new InvalidInputError('Two children have the same id');
	doc.transact(() => {
		const parent = requireItem(doc, parentId);
		if (isDeleted(parent)) throw new InvalidInputError('Restore the item from the trash before splitting it');
		for (const id of ids) if (getItems(doc).has(id)) throw new InvalidInputError(`An item with id "${id}" already exists`);
		const claimed = new Set<string>();
		const parentCriteria = new Map(readCriteria(parent).map((c) => [c.id, c]));
		for (const child of children) {
			for (const id of child.criteria ?? []) {
				if (!parentCriteria.has(id)) throw new InvalidInputError(`The item has no acceptance criterion "${id}"`);
				if (claimed.has(id)) throw new InvalidInputError(`Criterion "${id}" is given to two children`);
				claimed.add(id);
			}
		}
		const [after, before] = slotAfterFamily(doc, parentId);
		const ranks = ranksBetween(after, before, children.length, ids.join(','));
		children.forEach((child, i) => {
			createItem(
				doc,
				{
					id: ids[i],
					title: child.title,
					description: child.description,
					kind: child.kind ?? (itemString(parent, 'kind') === 'epic' ? 'story' : (itemString(parent, 'kind') as ItemKind)),
					rank: ranks[i],
					parent: parentId,
					by
				},
				origin
			);
			const moved = (child.criteria ?? []).map((id) => parentCriteria.get(id)!);
			const target = itemCriteria(requireItem(doc, ids[i]));
			const childRanks = ranksBetween(null, null, moved.length, ids[i]);
			target.push(moved.map((c, k) => buildCriterion({ id: c.id, text: c.text, done: c.done, rank: childRanks[k] })));
		});
		const now = Date.now();
		for (const map of itemCriteria(parent)) if (claimed.has(map.get('id') as string)) map.set('deletedAt', now);
	}, origin);
	return ids;
}

/** The gap after the parent and all its live descendants, in backlog order. */
function slotAfterFamily(doc: Y.Doc, parentId: string): [string | null, string | null] {
	const order = orderedItems(doc);
	const family = new Set([parentId]);
	let last = order.findIndex((e) => e.id === parentId);
	for (let i = last + 1; i < order.length; i++) {
		const parent = order[i].item.get(F.parent);
		if (typeof parent === 'string' && family.has(parent)) {
			family.add(order[i].id);
			last = i;
		} else break;
	}
	const before = last >= 0 && isRank(order[last].rank) ? order[last].rank : null;
	const next = order.slice(last + 1).find((e) => e.rank !== before && isRank(e.rank));
	return [before, next && (before === null || next.rank > before) ? next.rank : null];
}

/** The live children of an item in backlog order. */
export function childrenOf(doc: Y.Doc, parentId: string): string[] {
	const ids = new Set(childIds(doc, parentId));
	return orderedItems(doc)
		.filter((e) => ids.has(e.id))
		.map((e) => e.id);
}

/** Sum of the children's numeric estimates, and how many children have none. */
export function childEstimateSum(doc: Y.Doc, parentId: string): { sum: number; estimated: number; unestimated: number } {
	let sum = 0;
	let estimated = 0;
	let unestimated = 0;
	for (const id of childIds(doc, parentId)) {
		const value = numericEstimate(itemNullable(getItems(doc).get(id)!, 'estimate'));
		if (value === null) unestimated++;
		else {
			sum += value;
			estimated++;
		}
	}
	return { sum, estimated, unestimated };
}

