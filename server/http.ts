import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Relay } from './relay/Relay';

/** The adapter-node request handler (polka style: it calls `next` for what it does not serve). */
export type AppHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface HttpOptions {
	relay: Relay;
	/** The built SvelteKit app, or null when `build/` is missing. */
	app: AppHandler | null;
	startedAt?: number;
	/** The history API (server/history/httpApi.ts): true when it answered the request. */
	history?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Refinery: not built</title>
<h1>The web app is not built</h1><p>Run <code>npm run build</code>, then start the server again. The relay on <code>/sync/</code> is running.</p>`;

/** Routes `/healthz` and `/metrics`, and hands everything else to the app. */
export function createRequestHandler({ relay, app, startedAt = Date.now(), history }: HttpOptions) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/healthz') {
			const memory = process.memoryUsage();
			const body = { status: 'ok', uptime: Math.round((Date.now() - startedAt) / 1000), ...relay.stats(), rss: memory.rss, heapUsed: memory.heapUsed };
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
			return;
		}
		if (path === '/metrics') {
			relay.metrics.registry.metrics().then(
				(text) => res.writeHead(200, { 'content-type': relay.metrics.registry.contentType }).end(text),
				() => res.writeHead(500).end()
			);
			return;
		}
		if (history?.(req, res)) return;
		if (app === null) {
			res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '60' }).end(NOT_BUILT);
			return;
		}
		app(req, res, () => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found'));
	};
}
