import * as Y from 'yjs';
import type { ItemMap } from './doc';
import { itemIdOf, rankOfItem } from './rankLog';

/** The record an item is stored as: one Y.Map per item in the `items` root. */
export const ITEM_KINDS = ['story', 'bug', 'task', 'spike', 'epic'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_STATUSES = ['new', 'needs-refinement', 'ready', 'done'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Kind and status an item has when its map leaves them out (new items store only other values). */
export const DEFAULT_KIND: ItemKind = 'story';
export const DEFAULT_STATUS: ItemStatus = 'new';

/** Field names of an item's Y.Map, in one place. */
export const F = {
	id: 'id',
	title: 'title',
	description: 'description',
	criteria: 'criteria',
	kind: 'kind',
	status: 'status',
	labels: 'labels',
	ready: 'ready',
	estimate: 'estimate',
	estimateBasis: 'estimateBasis',
	rank: 'rank',
	parent: 'parent',
	blockedBy: 'blockedBy',
	createdAt: 'createdAt',
	createdBy: 'createdBy',
	deletedAt: 'deletedAt',
	/** Where an imported item lives in the tracker (see source.ts). */
	source: 'source'
} as const;

export type TextField = 'title' | 'description';

export function isItemKind(value: unknown): value is ItemKind {
	return (ITEM_KINDS as readonly unknown[]).includes(value);
}

export function isItemStatus(value: unknown): value is ItemStatus {
	return (ITEM_STATUSES as readonly unknown[]).includes(value);
}

/** Typed access to an item's fields; Y types are created with the item, so they exist. */
export function itemText(item: ItemMap, field: TextField): Y.Text {
	return item.get(field) as Y.Text;
}

export function itemCriteria(item: ItemMap): Y.Array<Y.Map<unknown>> {
	return item.get(F.criteria) as Y.Array<Y.Map<unknown>>;
}

export type SetField = 'labels' | 'ready' | 'blockedBy';

/**
 * A set stored as flat keys on the item map ("labels:backend" → true) rather than a
 * nested Y.Map: an empty set then costs nothing, which keeps large rooms small and
 * fast to load, and two people adding the same member still get it once.
 */
export interface FlatSet {
	keys(): string[];
	has(member: string): boolean;
	set(member: string, value: true): void;
	delete(member: string): void;
}

export function itemSet(item: ItemMap, field: SetField): FlatSet {
	const prefix = `${field}:`;
	return {
		keys: () => [...item.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
		has: (member) => item.get(prefix + member) === true,
		set: (member) => item.set(prefix + member, true),
		delete: (member) => item.delete(prefix + member)
	};
}

/**
 * A string field of an item. The id is the item's key in `items` and the rank comes from the
 * rank log (see `rankLog.ts`); kind and status read as the defaults when left out.
 */
export function itemString(item: ItemMap, field: 'id' | 'rank' | 'kind' | 'status' | 'createdBy'): string {
	if (field === 'id') return itemIdOf(item);
	if (field === 'rank') return rankOfItem(item) as string;
	if (field === 'kind') return (item.get(field) as string | undefined) ?? DEFAULT_KIND;
	if (field === 'status') return (item.get(field) as string | undefined) ?? DEFAULT_STATUS;
	return item.get(field) as string;
}

export function itemNullable<T = string>(item: ItemMap, field: 'estimate' | 'estimateBasis' | 'parent' | 'deletedAt'): T | null {
	return (item.get(field) as T | undefined) ?? null;
}

export function isDeleted(item: ItemMap): boolean {
	return item.get(F.deletedAt) != null;
}
