import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';

/** A sync message the relay sent on the socket (never one from another tab). */
export type RelayMessage = { kind: 'step1'; stateVector: Uint8Array } | { kind: 'step2' | 'update'; update: Uint8Array };

const MESSAGE_SYNC = 0;
const KINDS = ['step1', 'step2', 'update'] as const;

/**
 * Watch the sync messages the relay sends, after the provider has handled each one.
 * y-websocket hands messages from the socket and from the tabs' BroadcastChannel to the same
 * handler and gives both the provider as transaction origin; only its `emitSynced` flag (true
 * for the socket) tells them apart, so the handler is wrapped. Returns the unwrap function.
 */
export function tapRelay(provider: WebsocketProvider, listener: (message: RelayMessage) => void): () => void {
	const original = provider.messageHandlers[MESSAGE_SYNC];
	provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, target, emitSynced, messageType) => {
		const peek = emitSynced ? decoding.clone(decoder) : null;
		original(encoder, decoder, target, emitSynced, messageType);
		if (!peek) return;
		const kind = KINDS[decoding.readVarUint(peek)];
		if (!kind) return;
		const payload = decoding.readVarUint8Array(peek);
		listener(kind === 'step1' ? { kind, stateVector: payload } : { kind, update: payload });
	};
	return () => {
		provider.messageHandlers[MESSAGE_SYNC] = original;
	};
}
