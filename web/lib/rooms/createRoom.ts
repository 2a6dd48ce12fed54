import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { initRoom } from '$shared/meta';
import { localOrigin } from '$shared/origins';
import type { Deck } from '$shared/poker/decks';
import { localDatabaseName } from '../room/localDatabase';
import { newRoomLink, type RoomLink } from './links';

/**
 * Make a new room on this device: a fresh id and edit key, and its meta (name, deck) written to
 * the room's IndexedDB copy. Nothing is sent anywhere: the room session syncs it to the relay,
 * whose first edit-key connection claims the room, so a room can be created offline.
 * Throws InvalidInputError (from initRoom) for an empty or too long name, before anything is stored.
 */
export async function createRoom(fields: { name: string; deck: Deck; by: string }): Promise<RoomLink> {
	const link = newRoomLink();
	const draft = new Y.Doc();
	// Validate on a throwaway document first, so a bad name leaves no empty database behind.
	initRoom(draft, fields, localOrigin(fields.by));
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(localDatabaseName(link), doc);
	await persistence.whenSynced;
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(draft));
	// IndexedDB finishes pending writes before a database closes, so destroying here is safe.
	await persistence.destroy();
	doc.destroy();
	draft.destroy();
	return link;
}
