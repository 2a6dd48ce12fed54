import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** One logged update as the journal holds it: the room, its log position, the update's bytes. */
export interface JournalRecord {
	roomId: string;
	seq: number;
	update: Uint8Array;
}

/**
 * Segment format (version 2). A segment starts with an 8-byte header: the magic `RFJ2` and a
 * random 32-bit salt chosen when the segment is created. Then records, each:
 *
 *     body length (u32 LE) | body length XOR salt (u32 LE) | CRC-32 of the body (u32 LE) | body
 *     body = seq (u32 LE) | room id length (u16 LE) | room id (UTF-8) | update
 *
 * The length comes first so a reader tells a torn tail (too few bytes) from a damaged record
 * (wrong checksum). The salted copy of the length lets a reader that lost its place (a damaged
 * length) find the next record header by scanning, cheaply (two reads per byte, no checksum),
 * and without being fooled by record-shaped bytes inside an update: a client cannot know the
 * salt, so it cannot forge a header that passes.
 *
 * Version 1 (segments written before the header existed) had no header and no salted length:
 * `length | CRC | body`. A reader still accepts it, up to its first bad record.
 */
export const SEGMENT_MAGIC = Buffer.from('RFJ2', 'latin1');
export const SEGMENT_HEADER_BYTES = 8;
export const RECORD_HEADER_BYTES = 12;
export const V1_RECORD_HEADER_BYTES = 8;
export const BODY_FIXED_BYTES = 6;
/**
 * The largest record body written or read. It bounds the reader's buffer, and rejects a damaged
 * length that would have a reader allocate gigabytes. Updates are bounded far below this by
 * `MAX_FRAME_BYTES`.
 */
export const MAX_RECORD_BODY_BYTES = 256 * 1024 * 1024;

/** A random salt for a new segment. */
export function newSegmentSalt(): number {
	return randomBytes(4).readUInt32LE(0);
}

/** The bytes a new segment starts with. */
export function encodeSegmentHeader(salt: number): Buffer {
	const header = Buffer.allocUnsafe(SEGMENT_HEADER_BYTES);
	SEGMENT_MAGIC.copy(header, 0);
	header.writeUInt32LE(salt >>> 0, 4);
	return header;
}

/** Encode one record, for a segment with this salt, as the bytes appended in a single write. */
export function encodeJournalRecord(roomId: string, seq: number, update: Uint8Array, salt = 0): Buffer {
	const idBytes = Buffer.byteLength(roomId);
	if (idBytes > 0xffff) throw new RangeError(`room id too long for the journal: ${idBytes} bytes`);
	const bodyBytes = BODY_FIXED_BYTES + idBytes + update.byteLength;
	if (bodyBytes > MAX_RECORD_BODY_BYTES) throw new RangeError(`update too large for the journal: ${update.byteLength} bytes`);
	const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + bodyBytes);
	frame.writeUInt32LE(bodyBytes, 0);
	frame.writeUInt32LE((bodyBytes ^ salt) >>> 0, 4);
	frame.writeUInt32LE(seq, RECORD_HEADER_BYTES);
	frame.writeUInt16LE(idBytes, RECORD_HEADER_BYTES + 4);
	frame.write(roomId, RECORD_HEADER_BYTES + BODY_FIXED_BYTES, idBytes, 'utf8');
	frame.set(update, RECORD_HEADER_BYTES + BODY_FIXED_BYTES + idBytes);
	frame.writeUInt32LE(crc32(frame.subarray(RECORD_HEADER_BYTES)), 8);
	return frame;
}

/** The record in a body whose checksum matched; null if its room id does not fit. */
export function decodeRecordBody(body: Buffer): JournalRecord | null {
	const idBytes = body.readUInt16LE(4);
	if (BODY_FIXED_BYTES + idBytes > body.length) return null;
	return {
		seq: body.readUInt32LE(0),
		roomId: body.toString('utf8', BODY_FIXED_BYTES, BODY_FIXED_BYTES + idBytes),
		// A copy: the reader's buffer is reused for the next record.
		update: new Uint8Array(body.subarray(BODY_FIXED_BYTES + idBytes))
	};
}
