import type { FirstPaint } from './FirstPaint';

/**
 * Load a part of the room once the first screen is painted. A load that fails (the network went
 * away before the service worker held the chunk) is tried again when the browser is back online.
 * @example afterFirstPaint(ui.firstPaint, () => import('./RowMenu.svelte')).then((module) => …)
 */
export function afterFirstPaint<T>(firstPaint: FirstPaint, load: () => Promise<T>): Promise<T> {
	return firstPaint.done.then(() => untilLoaded(load));
}

function untilLoaded<T>(load: () => Promise<T>): Promise<T> {
	return load().catch((error: unknown) => {
		console.warn('A part of the room could not be loaded; trying again when back online', error);
		return new Promise<T>((resolve, reject) => addEventListener('online', () => untilLoaded(load).then(resolve, reject), { once: true }));
	});
}
