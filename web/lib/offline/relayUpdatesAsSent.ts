import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { MESSAGE_SYNC, peekSyncMessage } from './relayTap';

/** Below this, Yjs encoding the update again costs less than a millisecond: left as it is. */
export const LARGE_RELAY_UPDATE_BYTES = 64 * 1024;

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;

/** True if the transaction added or deleted anything (when Yjs would emit `update`). */
function changedAnything(transaction: Y.Transaction): boolean {
	if (transaction.deleteSet.clients.size > 0) return true;
	for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
	return false;
}

/**
 * Hand a large update from the relay (a new device's whole room, say) to the document's `update`
 * listeners as the bytes that arrived, instead of letting Yjs encode the transaction again for
 * them: for a 2,000-item room that encoding is a third of applying it, on the way to the first
 * screen. The listeners (IndexedDB's copy, the provider, the connection state) get the same
 * origin and transaction as before and an update holding at least what the transaction added.
 * Messages from other tabs and small updates take the provider's usual path. Returns the unwrap
 * function.
 */
export function passRelayUpdatesAsSent(provider: WebsocketProvider, doc: Y.Doc, minBytes = LARGE_RELAY_UPDATE_BYTES): () => void {
	const original = provider.messageHandlers[MESSAGE_SYNC];
	// lib0's Observable keeps its listeners in `_observers` (name → set); Yjs encodes an update
	// for `update` listeners only when that set exists.
	const observers = (doc as unknown as { _observers: Map<string, Set<UpdateListener>> })._observers;
	provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, target, emitSynced, messageType) => {
		const message = emitSynced ? peekSyncMessage(decoder) : null;
		const payload = message && message.kind !== 'step1' ? message.update : null;
		const listeners = observers.get('update');
		if (!payload || payload.byteLength < minBytes || !listeners) {
			original(encoder, decoder, target, emitSynced, messageType);
			return;
		}
		let applied: Y.Transaction | null = null;
		const capture = (transaction: Y.Transaction) => {
			if (transaction.origin === target) applied = transaction;
		};
		observers.delete('update');
		doc.on('afterTransaction', capture);
		try {
			original(encoder, decoder, target, emitSynced, messageType);
		} finally {
			doc.off('afterTransaction', capture);
			// Listeners added meanwhile (none are expected) are kept with the earlier ones.
			const added = observers.get('update');
			observers.set('update', added ? new Set([...listeners, ...added]) : listeners);
		}
		const transaction = applied as Y.Transaction | null;
		if (transaction && changedAnything(transaction)) for (const listener of [...listeners]) listener(payload, target, doc, transaction);
	};
	return () => {
		provider.messageHandlers[MESSAGE_SYNC] = original;
	};
}
