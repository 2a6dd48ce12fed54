import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';

/** A sync message the relay sent on the socket (never one from another tab). */
export type RelayMessage = { kind: 'step1'; stateVector: Uint8Array } | { kind: 'step2' | 'update'; update: Uint8Array };

/** y-websocket's message type of sync messages (its `messageSync`). */
export const MESSAGE_SYNC = 0;
const KINDS = ['step1', 'step2', 'update'] as const;

/**
 * The sync message a provider's sync handler is about to read (the decoder is past the message
 * type), without moving the decoder; null for an unknown sync type. The payload is a view of the
 * received bytes.
 */
export function peekSyncMessage(decoder: decoding.Decoder): RelayMessage | null {
	const peek = decoding.clone(decoder);
	const kind = KINDS[decoding.readVarUint(peek)];
	if (!kind) return null;
	const payload = decoding.readVarUint8Array(peek);
	return kind === 'step1' ? { kind, stateVector: payload } : { kind, update: payload };
}

/**
 * Watch the sync messages the relay sends, after the provider has handled each one.
 * y-websocket hands messages from the socket and from the tabs' BroadcastChannel to the same
 * handler and gives both the provider as transaction origin; only its `emitSynced` flag (true
 * for the socket) tells them apart, so the handler is wrapped. Returns the unwrap function.
 */
export function tapRelay(provider: WebsocketProvider, listener: (message: RelayMessage) => void): () => void {
	const original = provider.messageHandlers[MESSAGE_SYNC];
	provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, target, emitSynced, messageType) => {
		const message = emitSynced ? peekSyncMessage(decoder) : null;
		original(encoder, decoder, target, emitSynced, messageType);
		if (message) listener(message);
	};
	return () => {
		provider.messageHandlers[MESSAGE_SYNC] = original;
	};
}
