import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import type { Draft } from './draft';
import { markdownToDraft, plainLinesToDraft } from './markdownImport';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const outline = (draft: Draft) => draft.items.map((i) => ({ title: i.title, parent: i.parent === null ? null : draft.items[i.parent].title, criteria: i.criteria }));

describe('markdownToDraft', () => {
	it('reads headings and nested bullets as items and task-list lines as criteria', () => {
		const draft = markdownToDraft(fixture('outline.md'));
		expect(draft.name).toBe('Mobile app');
		expect(draft.problems).toEqual([]);
		expect(outline(draft)).toEqual([
			{
				title: 'Sign in',
				parent: null,
				criteria: [
					{ text: 'Wrong password shows an error', done: false },
					{ text: 'Remembers the email', done: true }
				]
			},
			{ title: 'Forgot password', parent: 'Sign in', criteria: [{ text: 'A reset link arrives within a minute', done: false }] },
			{ title: 'Offline mode', parent: null, criteria: [{ text: 'Nothing is lost', done: true }] },
			{ title: 'Cache the backlog', parent: 'Offline mode', criteria: [] },
			{ title: 'Cache items', parent: 'Cache the backlog', criteria: [{ text: 'Items open offline', done: false }] },
			{ title: 'Cache images', parent: 'Cache the backlog', criteria: [] },
			{ title: 'Sync when back online', parent: 'Offline mode', criteria: [] }
		]);
		expect(draft.items[0]).toMatchObject({
			kind: 'story',
			status: 'needs-refinement',
			estimate: '3',
			labels: ['auth', 'mobile'],
			description: 'People sign in with their email.\nA second line.'
		});
	});

	it('reads a bare bullet list, and a checklist with no item above it as items', () => {
		const draft = markdownToDraft('- One\n  - One child\n- Two\n\n- [x] Three\n');
		expect(draft.name).toBeNull();
		expect(outline(draft).map((i) => [i.title, i.parent])).toEqual([
			['One', null],
			['One child', 'One'],
			['Two', null],
			['Three', null]
		]);
		expect(draft.items[3].status).toBe('done');
	});

	it('keeps headings inside fenced code as description text, and HTML as text', () => {
		const draft = markdownToDraft('## <b>Bold</b> <script>x()</script>\n\n```\n# not a heading\n- not a bullet\n```\n');
		expect(draft.items).toHaveLength(1);
		expect(draft.items[0].title).toBe('<b>Bold</b> <script>x()</script>');
		expect(draft.items[0].description).toBe('```\n# not a heading\n- not a bullet\n```');
	});

	it('reports an empty heading with its line', () => {
		const draft = markdownToDraft('## Fine\n\n##   \n');
		expect(draft.problems).toEqual([{ line: 3, code: 'title-missing' }]);
	});
});

describe('plain lines', () => {
	it('makes one item per non-blank line', () => {
		const draft = plainLinesToDraft('\uFEFFLogin with SSO\r\n\r\n  Export, then print  \nDark mode');
		expect(draft.items.map((i) => [i.line, i.title])).toEqual([
			[1, 'Login with SSO'],
			[3, 'Export, then print'],
			[4, 'Dark mode']
		]);
	});
});

describe('detectFormat', () => {
	it('goes by the file name first, then by the content', () => {
		expect(detectFormat('whatever', 'backlog.CSV')).toBe('csv');
		expect(detectFormat('x', 'notes.md')).toBe('markdown');
		expect(detectFormat('{"format":"refinery.room"}')).toBe('json');
		expect(detectFormat('Summary,Issue key\nOne,A-1')).toBe('csv');
		expect(detectFormat('Title;Description\nOne;two')).toBe('csv');
		expect(detectFormat('## Heading\ntext')).toBe('markdown');
		expect(detectFormat('- one\n- two')).toBe('markdown');
		// Commas in pasted lines do not make a CSV: no header names a title.
		expect(detectFormat('Fix login, then logout\nExport to PDF')).toBe('lines');
	});
});
