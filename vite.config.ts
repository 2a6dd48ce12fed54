import type { Server } from 'node:http';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * `npm run dev` serves the relay on Vite's own HTTP server, so the app talks to `/sync` on its
 * own origin exactly as in production (ARCHITECTURE.md: one process, one port). Not under
 * vitest, whose tests start their own server. The relay is loaded through Vite at dev time
 * (web/dev/relay.ts) so the config never bundles server code or the native SQLite binding.
 */
function devRelay(): Plugin {
	return {
		name: 'refinery-dev-relay',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST || !server.httpServer) return;
			const httpServer = server.httpServer as Server;
			const { attachDevRelay } = (await server.ssrLoadModule('/web/dev/relay.ts')) as typeof import('./web/dev/relay');
			const close = attachDevRelay(httpServer, (api) => server.middlewares.use((req, res, next) => void (api(req, res) || next())));
			httpServer.once('close', () => void close());
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), devRelay()]
});
