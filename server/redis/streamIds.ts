/** A Redis stream entry id, `<milliseconds>-<sequence>`; `0-0` stands for "before every entry". */
export type StreamId = string;

export const BEFORE_ALL: StreamId = '0-0';

function parts(id: StreamId): [bigint, bigint] {
	const dash = id.indexOf('-');
	if (dash < 0) throw new Error(`not a stream id: ${id}`);
	return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}

/** Negative, zero or positive as `a` comes before, is, or comes after `b` in a stream. */
export function compareIds(a: StreamId, b: StreamId): number {
	const [am, as] = parts(a);
	const [bm, bs] = parts(b);
	if (am !== bm) return am < bm ? -1 : 1;
	return as === bs ? 0 : as < bs ? -1 : 1;
}

/** The smallest id after `id`: XTRIM MINID with it drops `id` and everything before. */
export function nextId(id: StreamId): StreamId {
	const [ms, seq] = parts(id);
	return `${ms}-${seq + 1n}`;
}
