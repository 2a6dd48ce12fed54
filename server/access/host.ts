import { isIP } from 'node:net';

/**
 * Which Host headers the server answers: `'*'` for any, else these host names. IP literals
 * and `localhost` (with `*.localhost`) are always answered: DNS rebinding needs a name the
 * attacker controls that resolves to this machine, and those are not such names.
 */
export type HostPolicy = '*' | string[];

/** The Host header's name in lower case, without port or IPv6 brackets; null if malformed. */
export function hostName(host: string | undefined): string | null {
	if (host === undefined || host === '' || host.length > 255) return null;
	const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/.exec(host);
	if (!match) return null;
	const name = match[1].toLowerCase();
	return name.startsWith('[') ? name.slice(1, -1) : name.replace(/\.$/, '');
}

/**
 * Whether a request's Host header names this server. A page on `rebind.example` whose DNS
 * now points at 127.0.0.1 sends `Host: rebind.example`, and is refused.
 * @example isHostAllowed('refinery.example:443', ['refinery.example']) // true
 */
export function isHostAllowed(host: string | undefined, policy: HostPolicy): boolean {
	if (policy === '*') return true;
	const name = hostName(host);
	if (name === null) return false;
	if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
	return policy.includes(name);
}

/**
 * The host policy from the configuration: `ALLOWED_HOSTS` (`*` turns the check off), plus
 * PUBLIC_URL's host. With neither and a server on the LAN (HOST not loopback), the machine's
 * own names are added, so people can still reach it by name; behind a proxy, set PUBLIC_URL.
 */
export function hostPolicy(options: { allowedHosts: string | undefined; publicUrl: string | null; listenHost: string; machineName: string }): HostPolicy {
	const listed = (options.allowedHosts ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
	if (listed.includes('*')) return '*';
	const names = listed.map((h) => hostName(h) ?? h);
	if (options.publicUrl) names.push(new URL(options.publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
	const loopback = options.listenHost === 'localhost' || /^127\./.test(options.listenHost) || options.listenHost === '::1';
	if (names.length === 0 && !loopback && options.machineName) {
		const machine = options.machineName.toLowerCase();
		names.push(machine, `${machine.split('.')[0]}.local`);
	}
	return names;
}
