import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';

/** The y-websocket protocol: message types and sync sub-types (y-protocols). */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

export type IncomingMessage =
	| { kind: 'syncStep1'; stateVector: Uint8Array }
	| { kind: 'syncStep2'; update: Uint8Array }
	| { kind: 'update'; update: Uint8Array }
	| { kind: 'awareness'; update: Uint8Array }
	| { kind: 'queryAwareness' }
	| { kind: 'auth' };

/** A frame that is not a well-formed y-websocket message. */
export class MalformedMessageError extends Error {
	constructor(reason: string) {
		super(reason);
		this.name = 'MalformedMessageError';
	}
}

/**
 * Decode one frame and check its payload is well formed, without touching any document.
 * Updates are decoded in full (Y.decodeUpdate) so a corrupt one never reaches a room's doc.
 */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
	let message: IncomingMessage;
	try {
		message = readFrame(frame);
	} catch (error) {
		if (error instanceof MalformedMessageError) throw error;
		throw new MalformedMessageError(error instanceof Error ? error.message : String(error));
	}
	return message;
}

function readFrame(frame: Uint8Array): IncomingMessage {
	const decoder = decoding.createDecoder(frame);
	const type = decoding.readVarUint(decoder);
	let message: IncomingMessage;
	switch (type) {
		case MessageType.sync: {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === SyncType.step1) {
				Y.decodeStateVector(payload);
				message = { kind: 'syncStep1', stateVector: payload };
			} else if (syncType === SyncType.step2 || syncType === SyncType.update) {
				checkUpdate(payload);
				message = { kind: syncType === SyncType.step2 ? 'syncStep2' : 'update', update: payload };
			} else {
				throw new MalformedMessageError(`unknown sync message type ${syncType}`);
			}
			break;
		}
		case MessageType.awareness: {
			const update = decoding.readVarUint8Array(decoder);
			checkAwarenessUpdate(update);
			message = { kind: 'awareness', update };
			break;
		}
		case MessageType.queryAwareness:
			message = { kind: 'queryAwareness' };
			break;
		case MessageType.auth:
			// Clients never send auth messages; accept and ignore, as the reference does.
			return { kind: 'auth' };
		default:
			throw new MalformedMessageError(`unknown message type ${type}`);
	}
	if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after message');
	return message;
}

/** Throw MalformedMessageError unless `update` decodes as a Yjs v1 update. */
export function checkUpdate(update: Uint8Array): void {
	try {
		Y.decodeUpdate(update);
	} catch (error) {
		throw new MalformedMessageError(`corrupt update: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Throw MalformedMessageError unless `update` is a well-formed awareness update with JSON states. */
export function checkAwarenessUpdate(update: Uint8Array): void {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	for (let i = 0; i < count; i++) {
		decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		const state = decoding.readVarString(decoder);
		try {
			JSON.parse(state);
		} catch {
			throw new MalformedMessageError('awareness state is not JSON');
		}
	}
	if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after awareness update');
}

/** Sync step 1 carrying the doc's state vector. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	encoding.writeVarUint(encoder, SyncType.step1);
	encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
	return encoding.toUint8Array(encoder);
}

/** Sync step 2: whatever the doc has that `stateVector` lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	encoding.writeVarUint(encoder, SyncType.step2);
	encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
	return encoding.toUint8Array(encoder);
}

/** A sync update message. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	encoding.writeVarUint(encoder, SyncType.update);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** An awareness message for the given clients of `awareness`. */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}
