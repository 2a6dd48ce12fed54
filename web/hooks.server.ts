import type { Handle } from '@sveltejs/kit';

/**
 * The relay is on this same origin over ws(s)://. CSP Level 3 lets `'self'` cover it, older
 * engines do not: name it in connect-src. The Host has been checked by the server already
 * (server/access/host.ts), so it is this server's own name.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const policy = response.headers.get('content-security-policy');
	const host = event.url.host;
	// Only a plain host[:port] goes into the header (ALLOWED_HOSTS=* lets any Host through).
	if (policy && /^[A-Za-z0-9.:[\]-]+$/.test(host)) {
		response.headers.set('content-security-policy', policy.replace("connect-src 'self'", `connect-src 'self' ws://${host} wss://${host}`));
	}
	return response;
};
