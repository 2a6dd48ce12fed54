/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { SHELLS, SKIP_WAITING, cacheName, swRoute } from '$lib/offline/swRoutes';

/**
 * The app shell for offline use: this version's built files, `static/` and the page shell are
 * precached when the worker installs, so a room opened once loads with no network at all.
 * A new worker waits (no skipWaiting on install) until the page's update prompt asks it to take
 * over, so an open room never runs code from two versions at once. See docs/OFFLINE.md.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = cacheName(version);
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			// `cache: 'reload'` bypasses the HTTP cache, so the shell is this server's current one.
			await cache.addAll([...ASSETS, ...Object.values(SHELLS)].map((path) => new Request(path, { cache: 'reload' })));
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if (event.data === SKIP_WAITING) void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	// `npm run dev` serves changing files under fixed names: no cache there.
	if (import.meta.env.DEV || request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	const route = swRoute(url.pathname, request.mode === 'navigate', ASSETS);
	if (route.kind === 'network') return;
	event.respondWith(
		(async () => {
			const cache = await caches.open(CACHE);
			// One shell serves every page of its depth: the client router renders what the URL names.
			const cached = await cache.match(route.kind === 'shell' ? route.shell : url.pathname);
			return cached ?? fetch(request);
		})()
	);
});
