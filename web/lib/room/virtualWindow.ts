/** The slice of a fixed-height list worth rendering: rows `start` (inclusive) to `end` (exclusive). */
export interface RowRange {
	start: number;
	end: number;
}

/**
 * Which rows of a list of `count` rows, each `rowHeight` tall, show in a viewport scrolled to
 * `scrollTop`, plus `overscan` rows either side so a fast scroll does not flash empty space.
 * @example visibleRange({ scrollTop: 440, viewportHeight: 600, rowHeight: 44, count: 5000 })
 */
export function visibleRange({
	scrollTop,
	viewportHeight,
	rowHeight,
	count,
	overscan = 8
}: {
	scrollTop: number;
	viewportHeight: number;
	rowHeight: number;
	count: number;
	overscan?: number;
}): RowRange {
	if (count === 0) return { start: 0, end: 0 };
	const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
	const shown = Math.ceil(Math.max(viewportHeight, rowHeight) / rowHeight) + 1;
	const start = Math.max(0, Math.min(first, count - 1) - overscan);
	const end = Math.min(count, first + shown + overscan);
	return { start, end };
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToReveal(index: number, { scrollTop, viewportHeight, rowHeight }: { scrollTop: number; viewportHeight: number; rowHeight: number }): number {
	const top = index * rowHeight;
	if (top < scrollTop) return top;
	if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
	return scrollTop;
}
