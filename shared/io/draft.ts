import type { ItemKind, ItemStatus } from '../item';
import type { ItemSource } from '../source';
import { BLOCKING, type ImportProblem } from './problems';

/**
 * A backlog read from a file, before it touches a room: what every importer (CSV, Markdown,
 * plain lines) produces and what `addDraftItems` writes. Plain data, so it crosses a Web
 * Worker boundary as it is.
 */
export interface DraftItem {
	/** 1-based line of the file where it starts, for messages. */
	line: number;
	/** The source's own ids (Jira key and id, Azure ID, GitHub URL...) that parents refer to. */
	keys: string[];
	title: string;
	description: string;
	kind: ItemKind;
	status: ItemStatus;
	labels: string[];
	estimate: string | null;
	criteria: DraftCriterion[];
	/** Index in `items` of its parent, resolved by the importer; null for a top-level item. */
	parent: number | null;
	/** Where it lives in the tracker the file came from, when the file says. */
	source: ItemSource | null;
}

export interface DraftCriterion {
	text: string;
	done: boolean;
}

export interface Draft {
	/** A room name the file suggests (a Markdown page title), if any. */
	name: string | null;
	items: DraftItem[];
	problems: ImportProblem[];
}

/** A draft item with every optional field empty. */
export function draftItem(line: number, title: string): DraftItem {
	return { line, keys: [], title, description: '', kind: 'story', status: 'new', labels: [], estimate: null, criteria: [], parent: null, source: null };
}

/** The problems that stop the import (the rest are warnings). */
export function blockingProblems(draft: Draft): ImportProblem[] {
	return draft.problems.filter((p) => BLOCKING.has(p.code));
}

/** The index of every item in an order where each parent comes before its children. */
export function parentsFirst(items: readonly DraftItem[]): number[] {
	const out: number[] = [];
	const state = new Uint8Array(items.length); // 0 new, 1 on the path, 2 done
	for (let start = 0; start < items.length; start++) {
		const path: number[] = [];
		for (let at: number | null = start; at !== null && state[at] === 0; at = items[at].parent) {
			state[at] = 1;
			path.push(at);
		}
		for (let k = path.length - 1; k >= 0; k--) {
			out.push(path[k]);
			state[path[k]] = 2;
		}
	}
	return out;
}

/** Drop parent links that form a cycle (a file can say A's parent is B and B's is A). */
export function breakCycles(items: DraftItem[]): void {
	for (let start = 0; start < items.length; start++) {
		const seen = new Set<number>([start]);
		for (let at = items[start].parent; at !== null; at = items[at].parent) {
			if (seen.has(at)) {
				items[start].parent = null;
				break;
			}
			seen.add(at);
		}
	}
}
