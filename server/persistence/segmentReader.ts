import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import {
	BODY_FIXED_BYTES,
	MAX_RECORD_BODY_BYTES,
	RECORD_HEADER_BYTES,
	SEGMENT_HEADER_BYTES,
	SEGMENT_MAGIC,
	V1_RECORD_HEADER_BYTES,
	decodeRecordBody,
	type JournalRecord
} from './journalRecord';

/** Bytes a reader passed over: a damaged stretch (records follow it) or a torn tail (none do). */
export interface SkippedBytes {
	offset: number;
	bytes: number;
	/** True when no whole record follows: the write a crash interrupted, never acknowledged. */
	tail: boolean;
}

/** Random access to a segment's bytes; `bytes` may return fewer than asked at the end. */
export interface ByteSource {
	readonly size: number;
	/** Up to `length` bytes at `offset`, valid until the next call. */
	bytes(offset: number, length: number): Buffer;
}

/** What `readRecords` found at one offset. */
type Found = { record: JournalRecord | null; end: number };

/** Read this much of a file at a time when scanning; a record larger than that gets its own read. */
const CHUNK_BYTES = 1024 * 1024;

/** An in-memory segment (tests, and small files). */
export function bufferSource(buffer: Uint8Array): ByteSource {
	const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
	return { size: bytes.length, bytes: (offset, length) => bytes.subarray(offset, offset + length) };
}

/**
 * A file read through one reused buffer: as large as the largest record read so far (at most
 * `MAX_RECORD_BODY_BYTES`), never the whole file.
 */
class FileSource implements ByteSource {
	readonly size: number;
	readonly #fd: number;
	#buffer = Buffer.allocUnsafe(0);
	#start = 0;
	#filled = 0;

	constructor(fd: number) {
		this.#fd = fd;
		this.size = fstatSync(fd).size;
	}

	bytes(offset: number, length: number): Buffer {
		if (offset >= this.#start && offset + length <= this.#start + this.#filled) {
			return this.#buffer.subarray(offset - this.#start, offset - this.#start + length);
		}
		const want = Math.min(Math.max(length, CHUNK_BYTES), Math.max(this.size - offset, 0));
		if (this.#buffer.length < want) this.#buffer = Buffer.allocUnsafe(want);
		let filled = 0;
		while (filled < want) {
			const read = readSync(this.#fd, this.#buffer, filled, want - filled, offset + filled);
			if (read === 0) break;
			filled += read;
		}
		this.#start = offset;
		this.#filled = filled;
		return this.#buffer.subarray(0, Math.min(length, filled));
	}
}

/**
 * Every whole, checked record of a segment, in order. After a damaged record the reader moves
 * on to the next valid record: first where the damaged record's length says it ends (a flipped
 * byte in its body), else the next offset whose header checks (salted length, then checksum).
 * Each stretch passed over is reported to `onSkip`. Version-1 segments (no header) stop at
 * their first bad record, as they always did: their headers cannot be told from data.
 */
export function* readRecords(source: ByteSource, onSkip: (skipped: SkippedBytes) => void = () => {}): Generator<JournalRecord> {
	const { size } = source;
	if (size === 0) return;
	const head = source.bytes(0, SEGMENT_HEADER_BYTES);
	const isV2 = head.length === SEGMENT_HEADER_BYTES ? head.subarray(0, 4).equals(SEGMENT_MAGIC) : SEGMENT_MAGIC.subarray(0, head.length).equals(head);
	if (!isV2) {
		yield* readV1Records(source, onSkip);
		return;
	}
	// A header cut short: the segment was being created when the process died.
	if (head.length < SEGMENT_HEADER_BYTES) return;
	const salt = head.readUInt32LE(4);

	/** The record at `offset` if its header and checksum are right. */
	const recordAt = (offset: number): Found | null => {
		const header = source.bytes(offset, RECORD_HEADER_BYTES);
		if (header.length < RECORD_HEADER_BYTES) return null;
		const bodyBytes = header.readUInt32LE(0);
		if (((bodyBytes ^ header.readUInt32LE(4)) >>> 0) !== salt) return null;
		if (bodyBytes < BODY_FIXED_BYTES || bodyBytes > MAX_RECORD_BODY_BYTES) return null;
		const end = offset + RECORD_HEADER_BYTES + bodyBytes;
		if (end > size) return { record: null, end };
		const checksum = header.readUInt32LE(8);
		const body = source.bytes(offset + RECORD_HEADER_BYTES, bodyBytes);
		if (body.length < bodyBytes || crc32(body) !== checksum) return { record: null, end };
		return { record: decodeRecordBody(body), end };
	};

	/** The next offset after `from` where a valid record starts, or -1. */
	const nextRecord = (from: number, claimedEnd: number | null): number => {
		// The damaged record's header was right: the next record most likely starts where it ends.
		if (claimedEnd !== null && claimedEnd < size && recordAt(claimedEnd)?.record) return claimedEnd;
		for (let chunkStart = from + 1; chunkStart + RECORD_HEADER_BYTES <= size; chunkStart += CHUNK_BYTES) {
			// Copied: recordAt reads through the same source and would overwrite a shared buffer.
			const chunk = Buffer.from(source.bytes(chunkStart, CHUNK_BYTES + 7));
			const last = Math.min(CHUNK_BYTES, chunk.length - 7);
			for (let i = 0; i < last; i++) {
				if (((chunk.readUInt32LE(i) ^ chunk.readUInt32LE(i + 4)) >>> 0) === salt && recordAt(chunkStart + i)?.record) return chunkStart + i;
			}
		}
		return -1;
	};

	let offset = SEGMENT_HEADER_BYTES;
	while (offset < size) {
		const found = recordAt(offset);
		if (found?.record) {
			yield found.record;
			offset = found.end;
			continue;
		}
		const next = nextRecord(offset, found ? found.end : null);
		if (next < 0) {
			onSkip({ offset, bytes: size - offset, tail: true });
			return;
		}
		onSkip({ offset, bytes: next - offset, tail: false });
		offset = next;
	}
}

/** A segment from before the header existed: records up to the first torn or damaged one. */
function* readV1Records(source: ByteSource, onSkip: (skipped: SkippedBytes) => void): Generator<JournalRecord> {
	let offset = 0;
	while (offset + V1_RECORD_HEADER_BYTES <= source.size) {
		const header = source.bytes(offset, V1_RECORD_HEADER_BYTES);
		const bodyBytes = header.readUInt32LE(0);
		const checksum = header.readUInt32LE(4);
		const end = offset + V1_RECORD_HEADER_BYTES + bodyBytes;
		if (bodyBytes < BODY_FIXED_BYTES || bodyBytes > MAX_RECORD_BODY_BYTES || end > source.size) break;
		const body = source.bytes(offset + V1_RECORD_HEADER_BYTES, bodyBytes);
		if (body.length < bodyBytes || crc32(body) !== checksum) break;
		const record = decodeRecordBody(body);
		if (!record) break;
		yield record;
		offset = end;
	}
	if (offset < source.size) onSkip({ offset, bytes: source.size - offset, tail: true });
}

/**
 * The records of a segment file, read through a bounded buffer. A file that is gone (moved into
 * SQLite meanwhile) holds none.
 */
export function* readSegmentFile(path: string, onSkip?: (skipped: SkippedBytes) => void): Generator<JournalRecord> {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	try {
		yield* readRecords(new FileSource(fd), onSkip);
	} finally {
		closeSync(fd);
	}
}
