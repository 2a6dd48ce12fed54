import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { encodeRoomState } from '../../shared/history/plainState';
import { readRoomState } from '../../shared/history/roomState';

/** The room's plain state is larger than a version may keep beside it. */
export class PlainStateTooLargeError extends Error {
	constructor(bytes: number, limit: number) {
		super(`plain state of ${bytes} bytes is over ${limit}`);
		this.name = 'PlainStateTooLargeError';
	}
}

/**
 * A version's plain state as stored and served: the `RoomState` JSON (shared/history/plainState.ts),
 * gzipped, so the relay answers a browser with the stored bytes as they are
 * (`content-encoding: gzip`). Decodes the whole update into a document, which an attacker can
 * make slow: the relay runs this in `PlainStateWorker`, with a time and heap budget.
 */
export function plainStateOf(update: Uint8Array, maxJsonBytes: number): Uint8Array {
	const doc = new Y.Doc({ gc: true });
	try {
		Y.applyUpdate(doc, update);
		const json = encodeRoomState(readRoomState(doc));
		// UTF-16 length bounds the UTF-8 size from below; the exact size is checked after encoding.
		if (json.length > maxJsonBytes) throw new PlainStateTooLargeError(json.length, maxJsonBytes);
		const bytes = Buffer.from(json, 'utf8');
		if (bytes.byteLength > maxJsonBytes) throw new PlainStateTooLargeError(bytes.byteLength, maxJsonBytes);
		return new Uint8Array(gzipSync(bytes, { level: 6 }));
	} finally {
		doc.destroy();
	}
}
