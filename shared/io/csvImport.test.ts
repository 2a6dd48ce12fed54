import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportRoom } from '../exportJson';
import { createItem } from '../items';
import { localOrigin } from '../origins';
import { addDraftItems } from './addDraftItems';
import { guessMapping, type CsvMapping } from './csvHeaders';
import { csvToDraft } from './csvDraft';
import { readCsv } from './csvTable';
import { blockingProblems, type Draft } from './draft';
import { BacklogImportError, describeProblem } from './problems';
import { readBacklog } from './readBacklog';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const me = localOrigin('me');
const titles = (draft: Draft) => draft.items.map((i) => i.title);
const parentTitle = (draft: Draft, title: string) => {
	const item = draft.items.find((i) => i.title === title)!;
	return item.parent === null ? null : draft.items[item.parent].title;
};

describe('header styles recognised without help', () => {
	it('Jira: custom fields, repeated Labels and Sprint columns, Rank order, parents by issue id', () => {
		const table = readCsv(fixture('jira.csv'));
		const mapping = guessMapping(table.headers);
		const used = (target: string) => table.headers.filter((_, i) => mapping[i] === target);
		expect(used('title')).toEqual(['Summary']);
		expect(used('labels')).toEqual(['Labels', 'Labels', 'Labels']);
		expect(used('estimate')).toEqual(['Custom field (Story Points)', 'Custom field (Story point estimate)']);
		expect(used('criteria')).toEqual(['Custom field (Acceptance Criteria)']);
		expect(used('priority')).toEqual(['Custom field (Rank)']);
		expect(used('parent')).toEqual(['Parent', 'Parent summary']);
		expect(used('key')).toEqual(['Issue key', 'Issue id']);
		expect(table.headers.filter((h, i) => h === 'Sprint' && mapping[i] === null)).toHaveLength(2);

		const draft = csvToDraft(table, mapping);
		expect(draft.problems).toEqual([]);
		// Ordered by Jira's LexoRank, not by file order.
		expect(titles(draft)).toEqual(['Crash on "empty" cart', 'Pay by card', 'Payments', 'Refund a payment']);
		const card = draft.items[1];
		expect(card).toMatchObject({
			kind: 'story',
			status: 'ready',
			estimate: '5',
			labels: ['checkout', 'api', 'ux'],
			description: 'As a shopper I want to pay by card,\nso that I can check out fast.',
			criteria: [
				{ text: 'Visa and Mastercard work', done: false },
				{ text: 'Declined cards show an error', done: false }
			]
		});
		expect(parentTitle(draft, 'Pay by card')).toBe('Payments');
		expect(parentTitle(draft, 'Refund a payment')).toBe('Pay by card');
		// "Story point estimate" fills in where "Story Points" is empty (team-managed projects).
		expect(draft.items[0]).toMatchObject({ kind: 'bug', status: 'done', estimate: '3', labels: ['bug'] });
		expect(draft.items[3].kind).toBe('task');
	});

	it('Azure DevOps: HTML fields become text, Tags split on semicolons, Backlog Priority order', () => {
		const draft = readBacklog(fixture('azure-devops.csv'), 'csv');
		expect(draft.problems).toEqual([]);
		expect(titles(draft)).toEqual(['Checkout', 'Totals round wrong', 'Guest checkout', 'Save address']);
		expect(draft.items[2]).toMatchObject({
			kind: 'story',
			status: 'ready',
			labels: ['checkout', 'ux'],
			estimate: '8',
			description: 'As a guest I can buy without an account.\n\nSecond paragraph',
			criteria: [
				{ text: 'No sign-up needed', done: false },
				{ text: 'Email is asked once', done: false }
			]
		});
		expect(draft.items[0].kind).toBe('epic');
		expect(parentTitle(draft, 'Guest checkout')).toBe('Checkout');
		expect(draft.items[3]).toMatchObject({ status: 'done', estimate: '3' });
	});

	it('Azure DevOps tree queries: the "Title N" column gives the level', () => {
		const draft = readBacklog(fixture('azure-devops-tree.csv'), 'csv');
		expect(draft.problems).toEqual([]);
		expect(titles(draft)).toEqual(['Onboarding', 'Sign-up', 'Email sign-up', 'Google sign-up', 'Tour', 'Billing']);
		expect(draft.items.map((i) => i.parent)).toEqual([null, 0, 1, 1, 0, null]);
	});

	it('GitHub Projects: parent issue as owner/repo#n, Size as estimate, P0 first', () => {
		const draft = readBacklog(fixture('github.csv'), 'csv');
		expect(draft.problems).toEqual([]);
		expect(titles(draft)).toEqual(['Toggle in settings', 'Dark mode', 'Broken link in footer']);
		expect(parentTitle(draft, 'Toggle in settings')).toBe('Dark mode');
		expect(draft.items[1]).toMatchObject({ labels: ['enhancement', 'ui'], estimate: 'L', status: 'new' });
		expect(draft.items[0]).toMatchObject({ status: 'ready', estimate: 'S' });
	});

	it('Linear: priority words, parent by identifier, Markdown descriptions kept', () => {
		const draft = readBacklog(fixture('linear.csv'), 'csv');
		expect(draft.problems).toEqual([]);
		expect(titles(draft)).toEqual(['Highlight matches', 'Search results page', 'Typo tolerance']);
		expect(draft.items[1]).toMatchObject({ labels: ['Feature', 'Frontend'], estimate: '5', description: 'Show results.\n\n- fast\n- relevant' });
		expect(parentTitle(draft, 'Highlight matches')).toBe('Search results page');
		expect(draft.items[2].status).toBe('done');
	});
});

describe('reading CSV text', () => {
	it('handles a BOM, CRLF and quoted cells with commas, quotes and line breaks, with the lines rows start on', () => {
		const text = fixture('bom-multiline.csv');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		const table = readCsv(text);
		expect(table.headers).toEqual(['Title', 'Description', 'Acceptance Criteria', 'Labels']);
		expect(table.rows.map((r) => r.line)).toEqual([2, 5, 6]);
		const draft = csvToDraft(table, guessMapping(table.headers));
		expect(draft.items[0]).toMatchObject({
			title: 'Pay, then ship',
			description: 'He said "ship it"\nand left',
			criteria: [
				{ text: 'Shipped', done: false },
				{ text: 'Paid', done: true }
			],
			labels: ['ops']
		});
	});

	it('keeps HTML in a title or description as text', () => {
		const draft = readBacklog(fixture('bom-multiline.csv'), 'csv');
		expect(draft.items[1].title).toBe('<img src=x onerror="window.__xss=1">');
		expect(draft.items[1].description).toBe('<script>window.__xss=2</script>');
	});

	it('reports malformed rows with their lines, and imports nothing', () => {
		const draft = readBacklog(fixture('malformed.csv'), 'csv');
		expect(blockingProblems(draft).map(describeProblem)).toEqual([
			'line 3: the row has 4 fields, the header has 3',
			'line 4: the row has no title',
			'line 5: "nine thousand" is not an estimate (a card value of 1 to 8 characters)',
			'line 6: the file cannot be read as CSV (Quoted field unterminated)'
		]);
		const doc = new Y.Doc();
		createItem(doc, { id: 'kept', title: 'Already here', now: 1 }, me);
		const before = exportRoom(doc, new Date(0));
		expect(() => addDraftItems(doc, draft, me)).toThrow(BacklogImportError);
		expect(exportRoom(doc, new Date(0))).toEqual(before);
	});

	it('warns about unknown types, states and parents but imports the rows with defaults', () => {
		const draft = readBacklog('Title,Type,State,Parent\nOne,Gizmo,Pondering,XYZ-9\n', 'csv');
		expect(blockingProblems(draft)).toEqual([]);
		expect(draft.problems.map((p) => p.code)).toEqual(['kind-unknown', 'status-unknown', 'parent-unknown']);
		expect(draft.items[0]).toMatchObject({ kind: 'story', status: 'new', parent: null });
	});

	it('uses the mapping a person chose: Sprint columns as labels, Summary ignored for another title', () => {
		const table = readCsv(fixture('jira.csv'));
		const mapping: CsvMapping = guessMapping(table.headers).map((target, i) =>
			table.headers[i] === 'Sprint' ? 'labels' : table.headers[i] === 'Summary' ? null : table.headers[i] === 'Issue key' ? 'title' : target === 'key' ? null : target
		);
		const draft = csvToDraft(table, mapping);
		expect(titles(draft)).toEqual(['PAY-3', 'PAY-2', 'PAY-1', 'PAY-4']);
		expect(draft.items[1].labels).toEqual(['checkout', 'api', 'ux', 'PAY Sprint 1', 'PAY Sprint 2']);
		expect(csvToDraft(table, table.headers.map(() => null)).problems.map((p) => p.code)).toEqual(['no-title-column']);
	});

	it('drops a parent link that would make a cycle, and still imports every row', () => {
		const draft = readBacklog('Key,Title,Parent\nA,Alpha,B\nB,Beta,A\nC,Gamma,B\n', 'csv');
		expect(draft.items.map((i) => i.parent)).toEqual([null, 0, 1]);
		const doc = new Y.Doc();
		expect(addDraftItems(doc, draft, me)).toHaveLength(3);
	});

	it('reports progress through a large file', () => {
		const rows = Array.from({ length: 5000 }, (_, i) => `Item ${i},"Line one\nline two",${i % 13}`);
		const seen: number[] = [];
		const draft = readBacklog(['Title,Description,Story Points', ...rows].join('\r\n'), 'csv', { onProgress: (d) => seen.push(d) });
		expect(draft.items).toHaveLength(5000);
		expect(draft.items[4999]).toMatchObject({ line: 2 + 4999 * 2, title: 'Item 4999' });
		expect(seen.length).toBeGreaterThan(5);
		expect(seen.at(-1)).toBe(1);
		expect([...seen].sort((a, b) => a - b)).toEqual(seen);
	});
});

describe('files that are no backlog at all', () => {
	it('an empty file and a PNG renamed .csv say so, not "no column is used as the title"', () => {
		const png = new TextDecoder().decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0xff, 0xd8]));
		expect(readBacklog(png, 'csv').problems).toEqual([{ line: 0, code: 'not-text' }]);
		expect(readBacklog('', 'csv').problems).toEqual([{ line: 0, code: 'empty-file' }]);
		expect(readBacklog('\uFEFF \r\n\n', 'markdown').problems).toEqual([{ line: 0, code: 'empty-file' }]);
		expect(describeProblem({ line: 0, code: 'not-text' })).toMatch(/^the file is not text/);
		// Text with a stray replacement character is still text.
		expect(readBacklog('Title\nCaf\uFFFD au lait\n', 'csv').problems).toEqual([]);
	});
});

describe('where each row lives in the tracker', () => {
	const all = (name: string, baseUrl?: string) => readBacklog(fixture(name), 'csv', { baseUrl }).items.map((i) => i.source);
	/** The sources, the one with `key` first (priority columns reorder the rows). */
	const sources = (name: string, baseUrl?: string, key?: string) => {
		const list = all(name, baseUrl);
		return key ? [list.find((s) => s?.key === key)] : list;
	};
	it('Jira: Issue key and Issue id, a link from the site address the person gives', () => {
		expect(sources('jira.csv', undefined, 'PAY-2')[0]).toEqual({ tracker: 'jira', key: 'PAY-2', id: '10002', url: null });
		expect(sources('jira.csv', 'https://acme.atlassian.net/', 'PAY-2')[0]).toEqual({ tracker: 'jira', key: 'PAY-2', id: '10002', url: 'https://acme.atlassian.net/browse/PAY-2' });
		// Only http(s) addresses make links.
		expect(sources('jira.csv', 'javascript:alert(1)//', 'PAY-2')[0]?.url).toBeNull();
	});
	it('GitHub: the issue URL; Azure DevOps: the ID; Linear: the ID', () => {
		expect(sources('github.csv', undefined, 'acme/shop#7')[0]).toEqual({ tracker: 'github', key: 'acme/shop#7', id: null, url: 'https://github.com/acme/shop/issues/7' });
		expect(sources('azure-devops.csv', 'https://dev.azure.com/acme/shop', '102')[0]).toEqual({ tracker: 'azure-devops', key: '102', id: null, url: 'https://dev.azure.com/acme/shop/_workitems/edit/102' });
		expect(sources('linear.csv', undefined, 'ENG-12')[0]).toEqual({ tracker: 'linear', key: 'ENG-12', id: null, url: null });
		expect(sources('bom-multiline.csv').every((s) => s === null)).toBe(true);
	});
});
