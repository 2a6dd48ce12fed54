import { generateKeyBetween } from 'fractional-indexing';

/**
 * Ranks: order is a string on each item, compared by plain `<`.
 *
 * The base is rocicorp's fractional indexing ("a0", "a1", "a0V"): an integer part
 * whose first letter encodes its length, so appending at the end keeps keys short,
 * and a base-62 fraction for places in between. To it we add two digits derived
 * from a `salt` (the moved item's id): two people moving *different* items into the
 * same gap then get different ranks, while the same move replayed gives the same
 * rank, so tests stay deterministic and no random source is needed.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SALT_DIGITS = 2;

/** How long the integer part is, from its first letter (see fractional-indexing). */
function integerLength(head: string): number {
	if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 97 + 2;
	if (head >= 'A' && head <= 'Z') return 90 - head.charCodeAt(0) + 2;
	return -1;
}

/** True for a well-formed rank. Hot: called for every item on every sort, so no regex. */
export function isRank(rank: unknown): rank is string {
	if (typeof rank !== 'string' || rank.length === 0) return false;
	const length = integerLength(rank[0]);
	if (length < 0 || rank.length < length) return false;
	for (let i = 1; i < rank.length; i++) {
		const c = rank.charCodeAt(i);
		// 0-9, A-Z, a-z
		if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
	}
	if (rank.length > length && rank.charCodeAt(rank.length - 1) === 48) return false;
	return rank !== SMALLEST_INTEGER;
}

const SMALLEST_INTEGER = 'A' + '0'.repeat(26);

/** FNV-1a over the salt. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * Digits that keep `key + suffix` below the upper bound: `upper` is the rest of that
 * bound when the key is a prefix of it, else null (no limit). Never ends in "0".
 */
function saltSuffix(upper: string | null, salt: string): string {
	let h = hash(salt);
	const nonZero = () => {
		const digit = DIGITS[1 + (h % (DIGITS.length - 1))];
		h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
		return digit;
	};
	let out = '';
	for (let i = 0; upper !== null; i++) {
		const u = DIGITS.indexOf(upper[i]);
		if (u >= 2) {
			out += DIGITS[1 + (h % (u - 1))];
			h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
			break;
		}
		// u is 0 or 1: only "0" fits below it here; with u = 1 we are then free.
		out += '0';
		if (u === 1) upper = null;
	}
	do out += nonZero();
	while (out.length < SALT_DIGITS);
	return out;
}

/**
 * A rank strictly between `before` and `after` (null = the start or the end).
 * @example rankBetween(null, null, 'item-1') // a first rank
 * @example rankBetween(items[0].rank, items[1].rank, id) // between the first two
 */
export function rankBetween(before: string | null, after: string | null, salt = ''): string {
	if (before !== null && !isRank(before)) throw new RangeError(`Not a rank: "${before}"`);
	if (after !== null && !isRank(after)) throw new RangeError(`Not a rank: "${after}"`);
	if (before !== null && after !== null && before >= after) {
		throw new RangeError(`Rank "${before}" is not before "${after}"`);
	}
	// At the top, step the integer part down: the library would keep b's integer part
	// and lengthen the fraction forever, since our salt gives every rank a fraction.
	const key = before === null && after !== null ? generateKeyBetween(null, after.slice(0, integerLength(after[0]))) : generateKeyBetween(before, after);
	const upper = after !== null && after.startsWith(key) ? after.slice(key.length) : null;
	return key + saltSuffix(upper, `${before ?? ''}|${after ?? ''}|${salt}`);
}

/**
 * `count` ascending ranks between `before` and `after`.
 * @example ranksBetween(null, null, 3) // three ranks for a new list
 */
export function ranksBetween(before: string | null, after: string | null, count: number, salt = ''): string[] {
	const out: string[] = [];
	let low = before;
	for (let i = 0; i < count; i++) {
		// Bisecting keeps keys short when `after` is set; appending is cheap anyway.
		const rank = after === null ? rankBetween(low, null, `${salt}#${i}`) : ranksBisect(low, after, count - i, `${salt}#${i}`);
		out.push(rank);
		low = rank;
	}
	return out;
}

/** The first of `remaining` ranks spread evenly between two bounds. */
function ranksBisect(low: string | null, high: string, remaining: number, salt: string): string {
	let upper = high;
	// Aim at roughly low + 1/remaining of the gap by repeated halving.
	for (let steps = Math.floor(Math.log2(remaining)); steps > 0; steps--) upper = rankBetween(low, upper, salt);
	return rankBetween(low, upper, salt);
}

/** Order by (rank, id): total and stable even when two ranks collide. */
export function compareRanked(a: { rank: string; id: string }, b: { rank: string; id: string }): number {
	if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
