/** A condition that did not become true in time. */
export class TimeoutError extends Error {
	override name = 'TimeoutError';
}

/**
 * Poll `read` until `done` accepts its value, and return that value. Unlike `expect.poll` it
 * works in hooks too, so setup steps (create a room, wait for sync) can share it with tests.
 * @example await until(() => status.textContent(), (text) => text?.includes('synced') ?? false)
 */
export async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, { timeout = 15_000, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeout;
	let last: T;
	for (;;) {
		last = await read();
		if (done(last)) return last;
		if (Date.now() > deadline) throw new TimeoutError(`${what} not met after ${timeout} ms; last value: ${JSON.stringify(last)}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}
