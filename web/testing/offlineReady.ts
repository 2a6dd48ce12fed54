import type { Page } from 'playwright-core';
import { until } from './until';

/** Fail with a name after `ms` instead of waiting for the test's own timeout. */
export function bounded<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms)));
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wait until the service worker controls the page: it has cached the whole app by then (its
 * install step), so from then on every part of the app loads with no network, including the
 * parts a room loads after its first screen.
 */
export async function waitOfflineReady(page: Page): Promise<void> {
	await until(() => bounded('reading the controller', 10_000, page.evaluate(() => navigator.serviceWorker.controller !== null)), (ready) => ready, { what: 'the service worker controls the page' });
}
