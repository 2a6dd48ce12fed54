import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** SvelteKit lives in web/ rather than src/, beside server/ and shared/. */
/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
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
		}
	}
};

export default config;
