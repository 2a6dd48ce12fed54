/**
 * The Content-Security-Policy of every response the app's pages do not set themselves
 * (/healthz, /metrics, static files, workers). SvelteKit sends its own for pages (kit.csp in
 * svelte.config.js: the same directives plus hashes of its inline script). A worker runs under
 * the policy of its own script's response, so this one must let the service worker and the
 * import worker fetch from the origin.
 */
export const DEFAULT_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"connect-src 'self'",
	"worker-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'"
].join('; ');

/** Headers sent with every HTTP response, the WebSocket upgrade's included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-frame-options': 'DENY',
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
	'cross-origin-opener-policy': 'same-origin'
};

/** The security headers as raw header lines, for ws's `headers` event on the upgrade response. */
export function upgradeHeaderLines(): string[] {
	return Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`);
}
