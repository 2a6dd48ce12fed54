/** Which page origins may open the relay: `'*'` for any, else these plus the relay's own host. */
export type OriginPolicy = '*' | string[];

/**
 * Whether an upgrade request's Origin is allowed. Browsers always send Origin on WebSocket
 * requests; a request without one is not from a page (so cross-site hijacking does not
 * apply) and is allowed. The relay's own origin (Origin host equals Host) is always allowed.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, policy: OriginPolicy): boolean {
	if (origin === undefined || policy === '*') return true;
	if (policy.includes(origin)) return true;
	try {
		return host !== undefined && new URL(origin).host === host;
	} catch {
		return false;
	}
}
