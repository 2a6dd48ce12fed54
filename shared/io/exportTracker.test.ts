import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { requireItem } from '../doc';
import { setEstimate } from '../estimates';
import { exportRoom } from '../exportJson';
import { localOrigin } from '../origins';
import { readSource } from '../source';
import { splitItem } from '../split';
import { addDraftItems } from './addDraftItems';
import { readCsv } from './csvTable';
import { exportAzureUpdate, exportJiraUpdate } from './exportTracker';
import { readBacklog } from './readBacklog';

const me = localOrigin('me');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A room imported from a tracker's CSV, every item estimated, one split in two. */
function refined(file: string, baseUrl: string) {
	const doc = new Y.Doc();
	const ids = addDraftItems(doc, readBacklog(fixture(file), 'csv', { baseUrl }), me);
	const keyOf = new Map(ids.map((id) => [readSource(requireItem(doc, id))!.key, id]));
	ids.forEach((id, i) => setEstimate(doc, id, String([1, 2, 3, 5, 8, 13][i % 6]), me));
	return { doc, ids, keyOf };
}

/** The CSV's rows as records by header (the first column of a repeated header wins). */
function records(csv: string): Record<string, string>[] {
	const table = readCsv(csv);
	return table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h, row.cells[i]]).reverse()));
}

describe('export for the tracker', () => {
	it('Jira: a row per imported issue with its key, id and accepted estimate; split children name their parent', () => {
		const { doc, ids, keyOf } = refined('jira.csv', 'https://acme.atlassian.net');
		const children = splitItem(doc, keyOf.get('PAY-2')!, [{ title: 'Card form' }, { title: 'Card errors, "declined"' }], me);
		setEstimate(doc, children[0], '3', me);
		const csv = exportJiraUpdate(exportRoom(doc));
		expect(csv.split('\r\n')[0]).toMatch(/^Issue id,Issue key,Parent,Summary,Issue Type,Status,Story Points,Description,Labels/);
		const rows = records(csv);
		const json = exportRoom(doc);
		for (const id of ids) {
			const item = json.items.find((i) => i.id === id)!;
			const row = rows.find((r) => r['Issue key'] === item.source!.key)!;
			expect(row['Issue id']).toBe(item.source!.id);
			expect(row['Story Points']).toBe(item.estimate);
			expect(row.Summary).toBe(item.title);
		}
		const created = rows.filter((r) => r['Issue key'] === '');
		expect(created.map((r) => [r.Summary, r.Parent, r['Story Points']])).toEqual([
			['Card form', '10002', '3'],
			['Card errors, "declined"', '10002', '']
		]);
		// Every imported key, once.
		expect(rows.map((r) => r['Issue key']).filter(Boolean).sort()).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
	});

	it('Azure DevOps: rows keyed by ID with Work Item Type, Title, the estimate field of the process and Parent', () => {
		const { doc, ids, keyOf } = refined('azure-devops.csv', 'https://dev.azure.com/acme/shop');
		const [child] = splitItem(doc, keyOf.get('102')!, [{ title: 'Guest email step' }], me);
		setEstimate(doc, child, '2', me);
		const agile = records(exportAzureUpdate(exportRoom(doc)));
		const json = exportRoom(doc);
		for (const id of ids) {
			const item = json.items.find((i) => i.id === id)!;
			const row = agile.find((r) => r.ID === item.source!.key)!;
			expect(row['Story Points']).toBe(item.estimate);
			expect(row.Title).toBe(item.title);
		}
		expect(agile.find((r) => r.Title === 'Guest email step')).toMatchObject({ ID: '', Parent: '102', 'Story Points': '2', 'Work Item Type': 'User Story' });
		const scrum = exportAzureUpdate(exportRoom(doc), 'scrum');
		expect(scrum.split('\r\n')[0]).toBe('ID,Work Item Type,Title,State,Effort,Description,Tags,Parent');
		// Our own import reads the Azure CSV back: same titles, descriptions and tags.
		const back = readBacklog(scrum, 'csv');
		expect(back.items.map((i) => i.title).sort()).toEqual(json.items.map((i) => i.title).sort());
		expect(back.items.find((i) => i.title === 'Guest checkout')!.description).toBe(json.items.find((i) => i.title === 'Guest checkout')!.description);
	});
});
