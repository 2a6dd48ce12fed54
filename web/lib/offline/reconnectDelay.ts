/** The reconnect schedule's knobs; the defaults suit one relay and a few hundred clients. */
export interface BackoffOptions {
	/** The ceiling of the first retry, in ms. */
	baseMs: number;
	/** The ceiling never grows past this, in ms. */
	capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first retry after a drop):
 * exponential backoff with "equal jitter". The ceiling doubles per failed attempt up to `capMs`,
 * and the wait is drawn uniformly from its upper half, so clients that lost the same relay at the
 * same moment spread their retries over half the ceiling instead of arriving together, while each
 * still waits at least half of it (no client hammers a relay that is coming back up).
 * @param random a uniform number in [0, 1), injected so the schedule is tested as a pure function
 * @example reconnectDelay(0, Math.random) // between 250 and 500 ms
 */
export function reconnectDelay(attempt: number, random: () => number, { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * When the browser says the network is back: a short random wait (up to a fifth of `baseMs`), so
 * a whole office's laptops waking at once do not arrive in the same millisecond, while the wait
 * stays short next to the merge itself (a relay restart, which drops every client at once, goes
 * through `reconnectDelay`).
 */
export function onlineDelay(random: () => number, { baseMs }: BackoffOptions = DEFAULT_BACKOFF): number {
	return Math.round((random() * baseMs) / 5);
}
