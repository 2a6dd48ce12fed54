import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Which proxies in front of the relay may say who the client is (TRUST_PROXY). `null`: none,
 * the socket's peer is the client. A hop count trusts that many proxies nearest the relay; a
 * list trusts the proxies at those addresses or networks, however many there are.
 */
export type TrustProxy = null | { hops: number } | { networks: BlockList; text: string };

/** A TRUST_PROXY value the server cannot read. */
export class TrustProxyError extends Error {
	constructor(text: string, reason: string) {
		super(`TRUST_PROXY=${JSON.stringify(text)}: ${reason}`);
		this.name = 'TrustProxyError';
	}
}

/** Forwarded-for entries looked at, at most: the header is the client's to write, and to make long. */
const MAX_HOPS = 32;

const NAMED: Record<string, [string, number][]> = {
	loopback: [['127.0.0.0', 8], ['::1', 128]],
	private: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]]
};

/**
 * Read TRUST_PROXY: empty (trust nobody), a hop count (`1` for one nginx in front), or a
 * comma-separated list of addresses, CIDR networks and the names `loopback` and `private`.
 * @example parseTrustProxy('loopback, 10.0.0.0/8')
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
	const value = (text ?? '').trim();
	if (value === '' || value === 'false' || value === '0') return null;
	if (/^\d+$/.test(value)) {
		const hops = Number(value);
		if (hops > MAX_HOPS) throw new TrustProxyError(value, `at most ${MAX_HOPS} hops`);
		return { hops };
	}
	const networks = new BlockList();
	for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
		if (NAMED[part]) {
			for (const [address, prefix] of NAMED[part]) networks.addSubnet(address, prefix, isIP(address) === 6 ? 'ipv6' : 'ipv4');
			continue;
		}
		const [address, prefixText] = part.split('/');
		const family = isIP(address);
		if (family === 0) throw new TrustProxyError(value, `${part} is not an address, a network or a hop count`);
		const type = family === 6 ? 'ipv6' : 'ipv4';
		if (prefixText === undefined) {
			networks.addAddress(address, type);
			continue;
		}
		const prefix = Number(prefixText);
		if (!/^\d+$/.test(prefixText) || prefix > (family === 6 ? 128 : 32)) throw new TrustProxyError(value, `${part} has a bad prefix length`);
		networks.addSubnet(address, prefix, type);
	}
	return { networks, text: value };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`. */
function plain(address: string): string {
	return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(address: string, networks: BlockList): boolean {
	const family = isIP(address);
	return family !== 0 && networks.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** X-Forwarded-For entries, nearest the relay first (each proxy appends the address it saw). */
function forwardedFor(request: IncomingMessage): string[] {
	const header = request.headers['x-forwarded-for'];
	const text = Array.isArray(header) ? header.join(',') : (header ?? '');
	if (text === '') return [];
	return text.split(',').slice(-MAX_HOPS).reverse().map((entry) => plain(entry.trim()));
}

/**
 * The address the per-address limits count: the socket's peer, or, for requests through a
 * trusted proxy, the address that proxy saw (X-Forwarded-For). Entries written by anyone
 * untrusted are never believed, and a malformed entry stops the walk at the last proxy.
 * @example clientAddress(request, parseTrustProxy('1'))
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
	const peer = plain(request.socket.remoteAddress ?? 'unknown');
	if (trust === null) return peer;
	const chain = forwardedFor(request);
	let client = peer;
	for (let hop = 0; hop < chain.length; hop++) {
		// `client` is a proxy we trust (hop count not used up, or its address listed): believe the next entry.
		const believe = 'hops' in trust ? hop < trust.hops : trusted(client, trust.networks);
		if (!believe || isIP(chain[hop]) === 0) break;
		client = chain[hop];
	}
	return client;
}
