import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportRoom } from '../exportJson';
import { importRoom } from '../importJson';
import { cleanLabel, createItem } from '../items';
import { labelKey, readLabels } from '../labels';
import { requireItem } from '../doc';
import { orderedIds } from '../order';
import { importOrigin, localOrigin } from '../origins';
import { addDraftItems } from './addDraftItems';
import { exportCsv } from './exportCsv';
import { exportMarkdown } from './exportMarkdown';
import { joinLabels, splitLabels } from './labelText';
import { markdownToDraft } from './markdownImport';
import { readBacklog } from './readBacklog';

const me = localOrigin('me');

/** Characters that separate, escape or guard somewhere in our formats, and some plain ones. */
const CHARS = [...'ab AB,;·\\\'"=+-@_*#[]:\n\t|.'];
const isClean = (label: string) => {
	try {
		return cleanLabel(label) === label;
	} catch {
		return false;
	}
};
const label = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')).filter(isClean);
/** Items' label sets; one spelling per label in the room, as the model keeps it. */
const backlog = fc
	.array(fc.uniqueArray(label, { maxLength: 5, selector: labelKey }), { minLength: 1, maxLength: 5 })
	.filter((items) => {
		const spelling = new Map<string, string>();
		for (const l of items.flat()) if ((spelling.get(labelKey(l)) ?? l) !== l) return false; else spelling.set(labelKey(l), l);
		return true;
	});

function room(labels: string[][]): Y.Doc {
	const doc = new Y.Doc();
	labels.forEach((set, i) => createItem(doc, { id: `i${i}`, title: `Item ${i}`, labels: set, now: 1 }, me));
	return doc;
}

const labelsInOrder = (doc: Y.Doc) => orderedIds(doc).map((id) => readLabels(requireItem(doc, id)));

function throughDraft(text: string, format: 'csv' | 'markdown'): Y.Doc {
	const draft = format === 'csv' ? readBacklog(text, 'csv') : markdownToDraft(text);
	expect(draft.problems).toEqual([]);
	const copy = new Y.Doc();
	addDraftItems(copy, draft, me);
	return copy;
}

describe('labels survive every format exactly', () => {
	it('"a, b" stays one label; foreign cells still split on commas and semicolons', () => {
		expect(splitLabels(joinLabels(['a, b', 'c;d', 'x·y', 'back\\slash', "'quoted"]))).toEqual(['a, b', 'c;d', 'x·y', 'back\\slash', "'quoted"]);
		expect(splitLabels('bug, ux; api')).toEqual(['bug', 'ux', 'api']);
		expect(splitLabels('C:\\temp')).toEqual(['C:\\temp']);
		const doc = room([['a, b', 'payments']]);
		for (const format of ['csv', 'markdown'] as const) {
			const text = format === 'csv' ? exportCsv(exportRoom(doc)) : exportMarkdown(exportRoom(doc));
			expect(labelsInOrder(throughDraft(text, format))).toEqual([['a, b', 'payments']]);
		}
	});

	it('property: JSON, CSV (Jira columns) and Markdown give back every item’s labels', () => {
		fc.assert(
			fc.property(backlog, (labels) => {
				const doc = room(labels);
				const expected = labelsInOrder(doc);
				const json = new Y.Doc();
				importRoom(json, JSON.parse(JSON.stringify(exportRoom(doc))), importOrigin('room.json'));
				expect(labelsInOrder(json)).toEqual(expected);
				expect(labelsInOrder(throughDraft(exportCsv(exportRoom(doc)), 'csv'))).toEqual(expected);
				expect(labelsInOrder(throughDraft(exportMarkdown(exportRoom(doc)), 'markdown'))).toEqual(expected);
			}),
			{ numRuns: 300 }
		);
	});

	it('an import takes the room’s spelling of a label and merges spellings within the file', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'x', title: 'Here', labels: ['Payments'] }, me);
		addDraftItems(doc, readBacklog('Title,Labels,Labels\nOne,payments,UX\nTwo,ux,PAYMENTS\n', 'csv'), me);
		expect(labelsInOrder(doc)).toEqual([['Payments'], ['Payments', 'UX'], ['Payments', 'UX']]);
	});
});
