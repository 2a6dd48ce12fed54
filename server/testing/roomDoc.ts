import * as Y from 'yjs';
import type { Room } from '../relay/Room';

/** A document built from what a room in the relay holds (tests only: the relay itself never builds one). */
export function docOf(room: Room | undefined): Y.Doc {
	const doc = new Y.Doc();
	for (const part of room?.log.parts ?? []) Y.applyUpdate(doc, part);
	return doc;
}
