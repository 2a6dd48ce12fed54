import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterFirstPaint } from './afterFirstPaint';
import { FirstPaint } from './FirstPaint';

describe('the first screen, and what waits for it', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('resolves after the frame that shows the rows, or after the fallback when nothing ever shows', async () => {
		const frames: (() => void)[] = [];
		vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
		const paint = new FirstPaint(1500);
		let done = false;
		void paint.done.then(() => (done = true));
		paint.shown();
		paint.shown();
		await vi.advanceTimersByTimeAsync(10);
		expect(done).toBe(false);
		expect(frames).toHaveLength(1);
		frames[0]();
		await vi.advanceTimersByTimeAsync(0);
		expect(done).toBe(true);

		const never = new FirstPaint(1500);
		let fellBack = false;
		void never.done.then(() => (fellBack = true));
		await vi.advanceTimersByTimeAsync(1499);
		expect(fellBack).toBe(false);
		frames.length = 0;
		await vi.advanceTimersByTimeAsync(1);
		frames[0]();
		await vi.advanceTimersByTimeAsync(0);
		expect(fellBack).toBe(true);
		vi.unstubAllGlobals();
	});

	it('loads a part after the first paint, and a load that failed offline again once back online', async () => {
		const paint = new FirstPaint(0);
		const online = new EventTarget();
		vi.stubGlobal('addEventListener', online.addEventListener.bind(online));
		vi.stubGlobal('requestAnimationFrame', undefined);
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		let attempts = 0;
		const loaded = afterFirstPaint(paint, async () => {
			attempts++;
			if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
			return 'part';
		});
		await vi.advanceTimersByTimeAsync(0);
		expect(attempts).toBe(1);
		online.dispatchEvent(new Event('online'));
		await expect(loaded).resolves.toBe('part');
		expect(attempts).toBe(2);
		vi.unstubAllGlobals();
	});
});
