import { crc32 } from 'node:zlib';

/** One logged update as the journal holds it: the room, its log position, the update's bytes. */
export interface JournalRecord {
	roomId: string;
	seq: number;
	update: Uint8Array;
}

/** What a journal file held: its whole records, and how many bytes after them were dropped. */
export interface ParsedJournal {
	records: JournalRecord[];
	/** Bytes of whole, checked records from the start of the file. */
	validBytes: number;
	/** Bytes after them that were not a whole record with a matching checksum (a torn last write). */
	droppedBytes: number;
}

/**
 * Frame: body length (u32 LE), CRC-32 of the body (u32 LE), then the body: seq (u32 LE),
 * room id length (u16 LE), room id (UTF-8), update. The length comes first so a reader can
 * tell a torn tail (too few bytes) from a damaged record (wrong checksum); both end the file.
 */
const HEADER_BYTES = 8;
const BODY_FIXED_BYTES = 6;

/** Encode one record as the bytes appended to the journal in a single write. */
export function encodeJournalRecord(roomId: string, seq: number, update: Uint8Array): Buffer {
	const idBytes = Buffer.byteLength(roomId);
	if (idBytes > 0xffff) throw new RangeError(`room id too long for the journal: ${idBytes} bytes`);
	const bodyBytes = BODY_FIXED_BYTES + idBytes + update.byteLength;
	const frame = Buffer.allocUnsafe(HEADER_BYTES + bodyBytes);
	frame.writeUInt32LE(bodyBytes, 0);
	frame.writeUInt32LE(seq, HEADER_BYTES);
	frame.writeUInt16LE(idBytes, HEADER_BYTES + 4);
	frame.write(roomId, HEADER_BYTES + BODY_FIXED_BYTES, idBytes, 'utf8');
	frame.set(update, HEADER_BYTES + BODY_FIXED_BYTES + idBytes);
	frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES)), 4);
	return frame;
}

/** Read records from the start of a journal's bytes up to the first one that is torn or damaged. */
export function parseJournal(bytes: Uint8Array): ParsedJournal {
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const records: JournalRecord[] = [];
	let offset = 0;
	while (offset + HEADER_BYTES <= buffer.length) {
		const bodyBytes = buffer.readUInt32LE(offset);
		const end = offset + HEADER_BYTES + bodyBytes;
		if (bodyBytes < BODY_FIXED_BYTES || end > buffer.length) break;
		const body = buffer.subarray(offset + HEADER_BYTES, end);
		if (crc32(body) !== buffer.readUInt32LE(offset + 4)) break;
		const idBytes = body.readUInt16LE(4);
		if (BODY_FIXED_BYTES + idBytes > bodyBytes) break;
		records.push({
			seq: body.readUInt32LE(0),
			roomId: body.toString('utf8', BODY_FIXED_BYTES, BODY_FIXED_BYTES + idBytes),
			// A copy, so a record never pins the whole file's buffer.
			update: new Uint8Array(body.subarray(BODY_FIXED_BYTES + idBytes))
		});
		offset = end;
	}
	return { records, validBytes: offset, droppedBytes: buffer.length - offset };
}
