import { describe, expect, test } from 'vitest';
import { SHELLS, cacheName, swRoute } from './swRoutes';

const assets = new Set(['/_app/immutable/entry/start.js', '/favicon.svg']);

describe('swRoute', () => {
	test('built files and static files come from the cache', () => {
		expect(swRoute('/_app/immutable/entry/start.js', false, assets)).toEqual({ kind: 'asset' });
		expect(swRoute('/favicon.svg', false, assets)).toEqual({ kind: 'asset' });
	});

	test('a room page is answered by the shell fetched at a room’s depth', () => {
		expect(swRoute('/r/AAAAAAAAAAAAAAAAAAAAAA', true, assets)).toEqual({ kind: 'shell', shell: SHELLS.room });
	});

	test('the home page is answered by the root shell', () => {
		expect(swRoute('/', true, assets)).toEqual({ kind: 'shell', shell: SHELLS.root });
	});

	test('the relay, health and metrics always go to the network', () => {
		for (const path of ['/sync/AAAAAAAAAAAAAAAAAAAAAA', '/healthz', '/metrics']) {
			expect(swRoute(path, true, assets)).toEqual({ kind: 'network' });
			expect(swRoute(path, false, assets)).toEqual({ kind: 'network' });
		}
	});

	test('other requests, unknown pages and malformed room ids go to the network (its 404)', () => {
		expect(swRoute('/unknown.js', false, assets)).toEqual({ kind: 'network' });
		expect(swRoute('/a/b/c', true, assets)).toEqual({ kind: 'network' });
		expect(swRoute('/about', true, assets)).toEqual({ kind: 'network' });
		expect(swRoute('/r/not-a-room', true, assets)).toEqual({ kind: 'network' });
	});

	test('each version has its own cache', () => {
		expect(cacheName('1')).not.toBe(cacheName('2'));
	});
});
