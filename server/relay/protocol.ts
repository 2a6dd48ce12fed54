import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { scanUpdate, UpdateBudgetError, type UpdateBudget, type UpdateSummary } from './updateScan';

/** The y-websocket protocol: message types and sync sub-types (y-protocols). */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

export type IncomingMessage =
	| { kind: 'syncStep1'; stateVector: Uint8Array }
	| { kind: 'syncStep2'; update: Uint8Array; summary: UpdateSummary }
	| { kind: 'update'; update: Uint8Array; summary: UpdateSummary }
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

/** No bound beyond the frame's own size (tests, and updates the store already holds). */
export const UNBOUNDED: UpdateBudget = { maxStructs: Infinity, maxClients: Infinity, maxDepth: 1000 };

/**
 * Decode one frame. Updates are read in full as bytes (scanUpdate: well formed, within
 * `budget`, and what they carry and need) without building a document or a struct; awareness
 * updates are checked by Presence. Throws MalformedMessageError or UpdateBudgetError.
 */
export function decodeMessage(frame: Uint8Array, budget: UpdateBudget = UNBOUNDED): IncomingMessage {
	let message: IncomingMessage;
	try {
		message = readFrame(frame, budget);
	} catch (error) {
		if (error instanceof MalformedMessageError || error instanceof UpdateBudgetError) throw error;
		throw new MalformedMessageError(error instanceof Error ? error.message : String(error));
	}
	return message;
}

function readFrame(frame: Uint8Array, budget: UpdateBudget): IncomingMessage {
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
				const summary = scanUpdate(payload, budget);
				message = { kind: syncType === SyncType.step2 ? 'syncStep2' : 'update', update: payload, summary };
			} else {
				throw new MalformedMessageError(`unknown sync message type ${syncType}`);
			}
			break;
		}
		case MessageType.awareness: {
			message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
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

/** Sync step 1 carrying an encoded state vector. */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
	return encodeSync(SyncType.step1, stateVector);
}

/** Sync step 2: an update with what the peer lacks. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
	return encodeSync(SyncType.step2, update);
}

/** A sync update message. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
	return encodeSync(SyncType.update, update);
}

/**
 * A sync message as one Buffer of the exact size: every update is framed once and sent to every
 * recipient, so this is on the hot path (lib0's encoder would allocate and copy twice).
 */
function encodeSync(type: number, payload: Uint8Array): Uint8Array {
	let lengthBytes = 1;
	for (let rest = payload.byteLength >>> 7; rest > 0; rest >>>= 7) lengthBytes++;
	const frame = Buffer.allocUnsafe(2 + lengthBytes + payload.byteLength);
	frame[0] = MessageType.sync;
	frame[1] = type;
	let at = 2;
	let length = payload.byteLength;
	while (length > 0x7f) {
		frame[at++] = 0x80 | (length & 0x7f);
		length >>>= 7;
	}
	frame[at++] = length;
	frame.set(payload, at);
	return frame;
}

/** An awareness message carrying an awareness update (y-protocols' encoding). */
export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}
