import type * as Y from 'yjs';
import type { ItemJson } from '../exportJson';
import { newId } from '../ids';
import { createItemsFromJson } from '../importJson';
import { cleanLabel, cleanTitle } from '../items';
import { labelKey, roomLabels } from '../labels';
import { lastLiveRank } from '../order';
import type { Origin } from '../origins';
import { ranksBetween } from '../rank';
import { blockingProblems, parentsFirst, type Draft } from './draft';
import { BacklogImportError } from './problems';

export interface AddOptions {
	/** Place the items after this rank; default: the room's last live item. */
	after?: string | null;
	/** Who made them (user id). */
	by?: string;
	now?: number;
	/**
	 * The labels the room already has; a label that matches one case aside takes its spelling.
	 * Default: the labels of `doc` (the worker builds on a scratch document, so it passes them).
	 */
	labels?: readonly string[];
	/** Called now and then with the share of items prepared so far (0 to 1). */
	onProgress?: (done: number) => void;
}

/**
 * Add a draft's items at the bottom of the backlog, in one transaction (one undo step when
 * `origin` is a person's). Throws BacklogImportError before writing anything when the draft
 * has blocking problems. Returns the new items' ids, in draft order.
 *
 * The items are written as room-export records through `createItemsFromJson`, the batch path
 * a JSON import takes, so 10,000 rows cost one rank write, not 10,000. The web app runs this
 * on a separate document in a worker and applies the encoded update to the room with the
 * person's origin: Yjs then tracks the whole import as one step.
 * @example const ids = addDraftItems(doc, readBacklog(text, 'csv'), origin)
 */
export function addDraftItems(doc: Y.Doc, draft: Draft, origin: Origin, options: AddOptions = {}): string[] {
	const blocking = blockingProblems(draft);
	if (blocking.length) throw new BacklogImportError(blocking);
	const ids = draft.items.map(() => newId());
	const now = options.now ?? Date.now();
	const after = options.after === undefined ? lastLiveRank(doc) : options.after;
	const ranks = ranksBetween(after, null, draft.items.length, ids[0] ?? '');
	const records: ItemJson[] = [];
	// One spelling per label (case aside): the room's, else the first in the file. A map, so
	// 10,000 rows with many labels stay linear.
	const known = new Map((options.labels ?? roomLabels(doc)).map((label) => [labelKey(label), label]));
	const spell = (label: string) => {
		const clean = cleanLabel(label);
		const spelling = known.get(labelKey(clean)) ?? clean;
		known.set(labelKey(clean), spelling);
		return spelling;
	};
	let prepared = 0;
	// Parents first: a record's parent must be known when it is created.
	for (const index of parentsFirst(draft.items)) {
		if (++prepared % 1000 === 0) options.onProgress?.(prepared / draft.items.length / 2);
		const item = draft.items[index];
		records.push({
			id: ids[index],
			title: cleanTitle(item.title),
			description: item.description,
			kind: item.kind,
			status: item.status,
			labels: [...new Set(item.labels.map(spell))],
			ready: [],
			estimate: item.estimate,
			estimateStale: false,
			rank: ranks[index],
			parent: item.parent === null ? null : ids[item.parent],
			blockedBy: [],
			criteria: item.criteria.map((c) => ({ id: newId(), text: c.text.trim(), done: c.done })),
			removedCriteria: [],
			createdAt: now,
			createdBy: options.by ?? '',
			deletedAt: null,
			...(item.source ? { source: item.source } : {})
		});
	}
	createItemsFromJson(doc, records, origin, (done) => options.onProgress?.(0.5 + done / 2));
	return ids;
}
