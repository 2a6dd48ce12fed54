import type * as Y from 'yjs';
import { systemOrigin } from '$shared/origins';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '$shared/schema';

/** The part of a provider this needs: y-websocket's `sync` event. */
interface SyncSource {
	on(event: 'sync', listener: (synced: boolean) => void): void;
	off(event: 'sync', listener: (synced: boolean) => void): void;
}

/**
 * Bring an older room up to this app's schema (shared/schema.ts), once the relay's state is in:
 * before that, the document may be this device's partial copy, and a room that says nothing of
 * its version yet is not one to migrate. Migrations are safe when several people run them at once,
 * and run under a system origin, so nobody's undo takes them back. A room from a newer app is left
 * alone (the service worker's update prompt brings the newer app). View-only sessions never write.
 * Returns a function that stops listening.
 */
export function upgradeWhenSynced(provider: SyncSource, doc: Y.Doc, canEdit: boolean): () => void {
	const onSync = (synced: boolean) => {
		if (!synced || !canEdit) return;
		const version = schemaVersionOf(doc);
		if (version >= 1 && version < SCHEMA_VERSION) migrate(doc, systemOrigin('schema upgrade'));
	};
	provider.on('sync', onSync);
	return () => provider.off('sync', onSync);
}
