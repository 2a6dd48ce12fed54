import * as Y from 'yjs';
import { createItem } from '../items';
import { localOrigin } from '../origins';

/* Test helpers (not a test file): documents with items, and syncing between them. */

/** Two people's session origins. */
export const alice = localOrigin('alice');
export const bob = localOrigin('bob');

/** A document with one item per id, created at a fixed time. */
export function docWithItems(...ids: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const id of ids) createItem(doc, { id, title: `Item ${id}`, by: 'alice', now: 1 }, alice);
	return doc;
}

/** A copy of a document as another peer, with its own client id. */
export function peerOf(doc: Y.Doc): Y.Doc {
	const peer = new Y.Doc();
	Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
	return peer;
}

/** Exchange everything both ways. */
export function sync(...docs: Y.Doc[]): void {
	for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}
