import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCriteria } from '../criteria';
import { requireItem } from '../doc';
import { readEstimate } from '../estimates';
import { exportRoom } from '../exportJson';
import { itemNullable, itemText } from '../item';
import { createItem } from '../items';
import { lastLiveRank, orderedIds } from '../order';
import { importOrigin, localOrigin } from '../origins';
import { createUndoManager } from '../undo';
import { addDraftItems } from './addDraftItems';
import { markdownToDraft } from './markdownImport';
import { readBacklog } from './readBacklog';

const me = localOrigin('me');

describe('addDraftItems', () => {
	it('adds items at the bottom with parents, ticked criteria and fresh estimates', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'first', title: 'Already here' }, me);
		const ids = addDraftItems(doc, markdownToDraft('## Parent\n_Estimate: 8_\n\n- [x] Done one\n- [ ] Open one\n\n### Child\n'), me);
		expect(orderedIds(doc)).toEqual(['first', ...ids]);
		const [parent, child] = ids.map((id) => requireItem(doc, id));
		expect(itemText(parent, 'title').toString()).toBe('Parent');
		expect(itemNullable(child, 'parent')).toBe(ids[0]);
		expect(readCriteria(parent).map((c) => [c.text, c.done])).toEqual([
			['Done one', true],
			['Open one', false]
		]);
		expect(readEstimate(parent)).toEqual({ value: '8', stale: false });
	});

	it('creates a child listed before its parent', () => {
		const doc = new Y.Doc();
		const draft = readBacklog('Key,Title,Parent\nB,Child,A\nA,Parent,\n', 'csv');
		const [child, parent] = addDraftItems(doc, draft, me);
		expect(itemNullable(requireItem(doc, child), 'parent')).toBe(parent);
	});

	it('built on a separate document and applied with a person’s origin, is one undo step', () => {
		const room = new Y.Doc();
		createItem(room, { id: 'mine', title: 'Mine' }, me);
		const undo = createUndoManager(room, me);
		undo.stopCapturing();
		const before = exportRoom(room, new Date(0));

		// What the import worker does: a scratch document, placed after the room's last rank.
		const scratch = new Y.Doc();
		const rows = Array.from({ length: 300 }, (_, i) => `Item ${i},Story,${(i % 5) + 1},"- [ ] a\n- [x] b"`);
		addDraftItems(scratch, readBacklog(['Title,Type,Story Points,Acceptance Criteria', ...rows].join('\n'), 'csv'), importOrigin('csv'), { after: lastLiveRank(room) });
		Y.applyUpdate(room, Y.encodeStateAsUpdate(scratch), me);

		expect(orderedIds(room)).toHaveLength(301);
		expect(orderedIds(room)[0]).toBe('mine');
		expect(undo.undoStack).toHaveLength(1);
		undo.undo();
		expect(exportRoom(room, new Date(0))).toEqual(before);
		undo.redo();
		expect(orderedIds(room)).toHaveLength(301);
	});
});
