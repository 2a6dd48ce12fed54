import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCriterion, removeCriterion, setCriterionDone } from '../criteria';
import { setEstimate } from '../estimates';
import { exportRoom, type RoomJson } from '../exportJson';
import { importRoom } from '../importJson';
import { createItem, deleteItems, setItemText } from '../items';
import { initRoom } from '../meta';
import { importOrigin, localOrigin } from '../origins';
import { DECKS } from '../poker/decks';
import { setItemSource } from '../source';
import { addDraftItems } from './addDraftItems';
import { exportCsv } from './exportCsv';
import { exportMarkdown } from './exportMarkdown';
import { exportTree, flattenTree } from './exportTree';
import { markdownToDraft } from './markdownImport';
import { readBacklog } from './readBacklog';

const me = localOrigin('me');
const T = new Date('2030-01-01T00:00:00Z');

/** A room with hierarchy, criteria (one removed, one done), estimates (one stale), labels, the trash and awkward text. */
function room(): Y.Doc {
	const doc = new Y.Doc();
	initRoom(doc, { name: 'Checkout team', deck: DECKS.fibonacci, by: 'ann', now: 5 }, me);
	createItem(doc, { id: 'epic', title: 'Payments', kind: 'epic', description: 'Take money\n\n# not a heading\n- not a bullet\n\\ backslash', now: 1 }, me);
	createItem(doc, { id: 'card', title: 'Pay by card, "fast"', parent: 'epic', labels: ['api', 'ux'], status: 'ready', now: 2 }, me);
	createItem(doc, { id: 'refund', title: 'Refund', parent: 'card', kind: 'task', now: 3 }, me);
	createItem(doc, { id: 'bug', title: '=SUM(A1) <script>x()</script>', kind: 'bug', status: 'needs-refinement', now: 4 }, me);
	createItem(doc, { id: 'gone', title: 'In the trash', now: 5 }, me);
	addCriterion(doc, 'card', 'Visa works', me, 'k1');
	addCriterion(doc, 'card', 'Declined shows an error', me, 'k2');
	addCriterion(doc, 'card', 'Removed one', me, 'k3');
	removeCriterion(doc, 'card', 'k3', me, 10);
	setCriterionDone(doc, 'card', 'k1', true, me);
	setEstimate(doc, 'card', '5', me);
	setEstimate(doc, 'bug', 'XL', me);
	setItemText(doc, 'bug', 'description', 'Changed after estimating', me);
	deleteItems(doc, ['gone'], me, 99);
	setItemSource(doc, 'epic', { tracker: 'jira', key: 'PAY-1', id: '10001', url: 'https://acme.atlassian.net/browse/PAY-1' }, me);
	setItemSource(doc, 'card', { tracker: 'github', key: 'acme/shop#7', id: null, url: 'https://github.com/acme/shop/issues/7' }, me);
	setItemSource(doc, 'bug', { tracker: 'azure-devops', key: '1234', id: null, url: null }, me);
	return doc;
}

/** What two backlogs must share after a round trip through a format that keeps no ids. */
function shape(json: RoomJson) {
	return flattenTree(exportTree(json)).map(({ item, depth }) => ({
		depth,
		title: item.title,
		kind: item.kind,
		status: item.status,
		labels: item.labels,
		estimate: item.estimate,
		description: item.description,
		criteria: item.criteria.map(({ text, done }) => ({ text, done })),
		source: item.source ?? null
	}));
}

describe('round trips', () => {
	it('JSON: export, import into a new room, the same export (trash, removed criteria, stale estimate, no creation time)', () => {
		const doc = room();
		// An item without a creation time (an old export) must stay without one.
		const original = exportRoom(doc, T);
		original.items.push({ ...original.items[0], id: 'untimed', title: 'Untimed', parent: null, rank: '', createdAt: null, criteria: [], removedCriteria: [] });
		const first = new Y.Doc();
		importRoom(first, JSON.parse(JSON.stringify(original)), importOrigin('room.json'));
		const exported = exportRoom(first, T);
		const copy = new Y.Doc();
		importRoom(copy, JSON.parse(JSON.stringify(exported)), importOrigin('room.json'));
		expect(exportRoom(copy, T)).toEqual(exported);
		const card = exported.items.find((i) => i.id === 'card')!;
		expect(card.removedCriteria).toEqual([{ id: 'k3', text: 'Removed one', done: false, deletedAt: 10 }]);
		expect(exported.items.find((i) => i.id === 'untimed')!.createdAt).toBeNull();
		expect(exported.items.find((i) => i.id === 'bug')!.estimateStale).toBe(true);
		expect(exported.items.at(-1)!.deletedAt).toBe(99);
		expect(card.source).toEqual({ tracker: 'github', key: 'acme/shop#7', id: null, url: 'https://github.com/acme/shop/issues/7' });
		const { items: _a, exportedAt: _b, ...rest } = exported;
		const { items: _c, exportedAt: _d, ...originalRest } = original;
		expect(rest).toEqual(originalRest);
	});

	it('JSON: importing a room’s export into the room itself updates by id, never duplicates', () => {
		const doc = room();
		const json = JSON.parse(JSON.stringify(exportRoom(doc, T)));
		expect(importRoom(doc, json, me)).toMatchObject({ created: 0, updated: 5 });
		expect(exportRoom(doc, T)).toEqual(json);
	});

	it('Markdown: export, import, the same items, hierarchy and criteria', () => {
		const json = exportRoom(room(), T);
		const markdown = exportMarkdown(json);
		expect(markdown).toContain('# Checkout team\n');
		expect(markdown).toContain('### Pay by card, "fast"\n');
		expect(markdown).toContain('- [x] Visa works\n');
		expect(markdown).not.toContain('In the trash');
		expect(markdown).not.toContain('Removed one');
		const draft = markdownToDraft(markdown);
		expect(draft.problems).toEqual([]);
		expect(draft.name).toBe('Checkout team');
		const copy = new Y.Doc();
		addDraftItems(copy, draft, me);
		expect(shape(exportRoom(copy, T))).toEqual(shape(json));
	});

	it('CSV: export with Jira columns, import, the same items, hierarchy and criteria', () => {
		const json = exportRoom(room(), T);
		const csv = exportCsv(json);
		expect(csv.split('\r\n')[0]).toBe('Issue Id,Parent Id,Summary,Issue Type,Status,Story Points,Description,Acceptance Criteria,Labels,Labels,Source tracker,Source key,Source id,Source URL');
		// A cell a spreadsheet would run as a formula is guarded.
		expect(csv).toContain(`'=SUM(A1)`);
		const draft = readBacklog(csv, 'csv');
		expect(draft.problems).toEqual([]);
		const copy = new Y.Doc();
		addDraftItems(copy, draft, me);
		expect(shape(exportRoom(copy, T))).toEqual(shape(json));
	});
});
