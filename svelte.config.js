import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * SvelteKit lives in web/ rather than src/, beside server/ and shared/.
 * REFINERY_BUILD_DIR and REFINERY_KIT_DIR move the output, so that test and benchmark builds
 * (web/testing/e2eSetup.ts, bench/web) never overwrite each other or `build/`.
 */
/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: process.env.REFINERY_BUILD_DIR || 'build' }),
		outDir: process.env.REFINERY_KIT_DIR || '.svelte-kit',
		files: {
			assets: 'web/static',
			hooks: {
				client: 'web/hooks.client',
				server: 'web/hooks.server',
				universal: 'web/hooks'
			},
			lib: 'web/lib',
			params: 'web/params',
			routes: 'web/routes',
			serviceWorker: 'web/service-worker',
			appTemplate: 'web/app.html',
			errorTemplate: 'web/error.html'
		},
		alias: {
			$shared: 'shared'
		},
		// Hashes for SvelteKit's inline start-up script; server/access/securityHeaders.ts sends the
		// same directives (without hashes) on everything else. Inline style attributes stay allowed:
		// Svelte and bits-ui set them. web/hooks.server.ts adds the relay's ws(s):// origin.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
