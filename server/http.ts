import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHostAllowed, type HostPolicy } from './access/host';
import { DEFAULT_CSP, SECURITY_HEADERS } from './access/securityHeaders';
import type { Relay } from './relay/Relay';

/** The adapter-node request handler (polka style: it calls `next` for what it does not serve). */
export type AppHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface HttpOptions {
	relay: Relay;
	/** The built SvelteKit app, or null when `build/` is missing. */
	app: AppHandler | null;
	/** Host headers answered; others get 421 (DNS rebinding). Any by default. */
	allowedHosts?: HostPolicy;
	startedAt?: number;
	/** The history API (server/history/httpApi.ts): true when it answered the request. */
	history?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Refinery: not built</title>
<h1>The web app is not built</h1><p>Run <code>npm run build</code>, then start the server again. The relay on <code>/sync/</code> is running.</p>`;

/**
 * Routes `/healthz`, `/metrics` and the history API, and hands everything else to the app. Every
 * response carries the security headers; the app's pages replace the default CSP with their own.
 */
export function createRequestHandler({ relay, app, allowedHosts = '*', startedAt = Date.now(), history }: HttpOptions) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
		res.setHeader('content-security-policy', DEFAULT_CSP);
		// A 304 tells the browser to keep its cached copy, and the browser takes the 304's headers
		// into that copy: the default CSP there would replace a page's own (with its script hashes)
		// and block the page's scripts. So a 304 carries no CSP; the cached one stands.
		const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
		res.writeHead = ((status: number, ...rest: unknown[]) => {
			if (status === 304) res.removeHeader('content-security-policy');
			return writeHead(status, ...rest);
		}) as typeof res.writeHead;
		if (!isHostAllowed(req.headers.host, allowedHosts)) {
			// 421: this server is not the one that name is meant for (a DNS-rebinding page, say).
			res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request: this server does not answer for that host name (set PUBLIC_URL or ALLOWED_HOSTS)');
			return;
		}
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/healthz') {
			// 503 when the store cannot be read or written (relay.health).
			void relay.health().then((health) => {
				const memory = process.memoryUsage();
				const status = health.ok ? 'ok' : 'unavailable';
				const body = { status, reason: health.reason, uptime: Math.round((Date.now() - startedAt) / 1000), ...relay.stats(), rss: memory.rss, heapUsed: memory.heapUsed };
				res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
			});
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
