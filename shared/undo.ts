import * as Y from 'yjs';
import { getItems, getMeta, getRankLog, getRounds } from './doc';
import type { LocalOrigin } from './origins';

/**
 * An undo manager for one person: it tracks only transactions made with that
 * session's own origin object, so undo never reverts someone else's work.
 * Typing within half a second is one step, as people expect from an editor.
 * @example const undo = createUndoManager(doc, origin); undo.undo();
 */
export function createUndoManager(doc: Y.Doc, origin: LocalOrigin, captureTimeout = 500): Y.UndoManager {
	return new Y.UndoManager([getItems(doc), getRankLog(doc), getMeta(doc), getRounds(doc)], {
		trackedOrigins: new Set([origin]),
		captureTimeout
	});
}
