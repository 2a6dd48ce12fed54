import * as decoding from 'lib0/decoding';
import { MalformedMessageError } from './protocol';

/** What one update may cost before the relay keeps it (docs/RELAY.md, "Update budgets"). */
export interface UpdateBudget {
	/** Structs (items, GC and skip runs) in one update. */
	maxStructs: number;
	/** Distinct client ids in one update's structs. */
	maxClients: number;
	/** Nesting of arrays and objects in an item's content (binary `any` or JSON text). */
	maxDepth: number;
}

/** An update within its frame-size limit that is still over a budget: refused, never stored. */
export class UpdateBudgetError extends Error {
	constructor(
		readonly budget: keyof UpdateBudget | 'clientsPerRoom',
		readonly limit: number
	) {
		super(`update over budget: ${budget} > ${limit}`);
		this.name = 'UpdateBudgetError';
	}
}

/** One client's run of structs in an update. */
export interface ClientRange {
	/** Clock of the first struct. */
	start: number;
	/** Clock after the last struct. */
	end: number;
	/**
	 * The room must already hold this client up to here for the run to integrate: the start, or
	 * the end of a skip inside the run (a gap the sender does not have either).
	 */
	needs: number;
}

/** What the relay learns from an update's bytes, without building a single struct object. */
export interface UpdateSummary {
	structs: number;
	/** Per client: the clocks the update carries. */
	ranges: Map<number, ClientRange>;
	/** Per client: the highest clock an item refers to (origin, right origin, parent). */
	refs: Map<number, number>;
	/** Delete-set ranges. */
	deletes: number;
}

/**
 * Read a Yjs v1 update byte by byte, checking it is well formed and within `budget`, and
 * summarise which clocks it carries and which it depends on. Linear in the bytes and allocates
 * only the two small maps: unlike `Y.decodeUpdate` or `Y.applyUpdate`, it never builds struct
 * objects, so an update's cost here is bounded by its size, whatever its shape.
 * Throws MalformedMessageError or UpdateBudgetError.
 */
export function scanUpdate(update: Uint8Array, budget: UpdateBudget): UpdateSummary {
	const decoder = decoding.createDecoder(update);
	const summary: UpdateSummary = { structs: 0, ranges: new Map(), refs: new Map(), deletes: 0 };
	try {
		readStructs(decoder, budget, summary);
		readDeleteSet(decoder, summary);
	} catch (error) {
		if (error instanceof UpdateBudgetError || error instanceof MalformedMessageError) throw error;
		throw new MalformedMessageError(`corrupt update: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (decoding.hasContent(decoder)) throw new MalformedMessageError('corrupt update: trailing bytes');
	return summary;
}

function refer(summary: UpdateSummary, client: number, clock: number): void {
	const known = summary.refs.get(client);
	if (known === undefined || clock > known) summary.refs.set(client, clock);
}

function readStructs(decoder: decoding.Decoder, budget: UpdateBudget, summary: UpdateSummary): void {
	const runs = decoding.readVarUint(decoder);
	for (let run = 0; run < runs; run++) {
		const count = decoding.readVarUint(decoder);
		const client = decoding.readVarUint(decoder);
		let clock = decoding.readVarUint(decoder);
		summary.structs += count;
		if (summary.structs > budget.maxStructs) throw new UpdateBudgetError('maxStructs', budget.maxStructs);
		let range = summary.ranges.get(client);
		if (range === undefined) {
			if (summary.ranges.size >= budget.maxClients) throw new UpdateBudgetError('maxClients', budget.maxClients);
			range = { start: clock, end: clock, needs: clock };
			summary.ranges.set(client, range);
		} else {
			// Yjs writes one run per client; a second one is only legal after the first.
			if (clock < range.end) throw new MalformedMessageError('corrupt update: overlapping runs');
			range.needs = Math.max(range.needs, clock);
		}
		for (let i = 0; i < count; i++) {
			const info = decoding.readUint8(decoder);
			const kind = info & 0b11111;
			if (kind === 0) {
				clock += readLength(decoder);
			} else if (kind === 10) {
				clock += readLength(decoder);
				range.needs = clock;
			} else {
				clock += readItem(decoder, info, kind, budget, summary);
			}
		}
		range.end = clock;
	}
}

function readLength(decoder: decoding.Decoder): number {
	const length = decoding.readVarUint(decoder);
	if (length === 0) throw new MalformedMessageError('corrupt update: empty struct');
	return length;
}

/** Read one item; returns its length in clock ticks. */
function readItem(decoder: decoding.Decoder, info: number, kind: number, budget: UpdateBudget, summary: UpdateSummary): number {
	if (info & 0x80) refer(summary, decoding.readVarUint(decoder), decoding.readVarUint(decoder));
	if (info & 0x40) refer(summary, decoding.readVarUint(decoder), decoding.readVarUint(decoder));
	if ((info & 0xc0) === 0) {
		if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder);
		else refer(summary, decoding.readVarUint(decoder), decoding.readVarUint(decoder));
		if (info & 0x20) decoding.readVarString(decoder);
	}
	switch (kind) {
		case 1: // deleted
			return readLength(decoder);
		case 2: {
			// JSON
			const length = readLength(decoder);
			for (let i = 0; i < length; i++) checkJsonDepth(decoding.readVarString(decoder), budget.maxDepth);
			return length;
		}
		case 3: // binary
			decoding.readVarUint8Array(decoder);
			return 1;
		case 4: {
			// string: its length in UTF-16 code units
			const text = decoding.readVarString(decoder);
			if (text.length === 0) throw new MalformedMessageError('corrupt update: empty string item');
			return text.length;
		}
		case 5: // embed
			checkJsonDepth(decoding.readVarString(decoder), budget.maxDepth);
			return 1;
		case 6: // format
			decoding.readVarString(decoder);
			checkJsonDepth(decoding.readVarString(decoder), budget.maxDepth);
			return 1;
		case 7: {
			// type
			const typeRef = decoding.readVarUint(decoder);
			if (typeRef > 6) throw new MalformedMessageError(`corrupt update: unknown type ${typeRef}`);
			if (typeRef === 3 || typeRef === 5) decoding.readVarString(decoder);
			return 1;
		}
		case 8: {
			// any
			const length = readLength(decoder);
			for (let i = 0; i < length; i++) skipAny(decoder, budget.maxDepth);
			return length;
		}
		case 9: // subdocument
			decoding.readVarString(decoder);
			skipAny(decoder, budget.maxDepth);
			return 1;
		default:
			throw new MalformedMessageError(`corrupt update: unknown content ${kind}`);
	}
}

/** Skip one lib0 `any` value without building it; recursion is bounded by `maxDepth` (small). */
function skipAny(decoder: decoding.Decoder, maxDepth: number, depth = 0): void {
	const tag = decoding.readUint8(decoder);
	switch (tag) {
		case 127: // undefined
		case 126: // null
		case 121: // false
		case 120: // true
			return;
		case 125:
			decoding.readVarInt(decoder);
			return;
		case 124:
			decoding.readFloat32(decoder);
			return;
		case 123:
			decoding.readFloat64(decoder);
			return;
		case 122:
			decoding.readBigInt64(decoder);
			return;
		case 119:
			decoding.readVarString(decoder);
			return;
		case 118: {
			if (depth >= maxDepth) throw new UpdateBudgetError('maxDepth', maxDepth);
			const entries = decoding.readVarUint(decoder);
			for (let i = 0; i < entries; i++) {
				decoding.readVarString(decoder);
				skipAny(decoder, maxDepth, depth + 1);
			}
			return;
		}
		case 117: {
			if (depth >= maxDepth) throw new UpdateBudgetError('maxDepth', maxDepth);
			const items = decoding.readVarUint(decoder);
			for (let i = 0; i < items; i++) skipAny(decoder, maxDepth, depth + 1);
			return;
		}
		case 116:
			decoding.readVarUint8Array(decoder);
			return;
		default:
			throw new MalformedMessageError(`corrupt update: unknown value tag ${tag}`);
	}
}

/**
 * Throw UpdateBudgetError if JSON text nests arrays and objects deeper than `maxDepth`. Counts
 * brackets outside strings, without parsing: JSON.parse of 20,000 nested arrays is where the
 * cost and the stack go, here and in every client that receives it.
 */
export function checkJsonDepth(text: string, maxDepth: number): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++; // backslash: skip the escaped character
			else if (c === 34) inString = false;
		} else if (c === 34) {
			inString = true;
		} else if (c === 91 || c === 123) {
			if (++depth > maxDepth) throw new UpdateBudgetError('maxDepth', maxDepth);
		} else if (c === 93 || c === 125) {
			depth--;
		}
	}
}

function readDeleteSet(decoder: decoding.Decoder, summary: UpdateSummary): void {
	const clients = decoding.readVarUint(decoder);
	for (let i = 0; i < clients; i++) {
		decoding.readVarUint(decoder);
		const ranges = decoding.readVarUint(decoder);
		for (let j = 0; j < ranges; j++) {
			decoding.readVarUint(decoder);
			decoding.readVarUint(decoder);
		}
		summary.deletes += ranges;
	}
}
