import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, TrustProxyError } from './clientAddress';

function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
	return { socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('clientAddress', () => {
	it('trusts no proxy by default: X-Forwarded-For from anyone is ignored', () => {
		expect(clientAddress(request('203.0.113.9', '10.1.1.1'), parseTrustProxy(''))).toBe('203.0.113.9');
		expect(clientAddress(request('::ffff:203.0.113.9'), null)).toBe('203.0.113.9');
	});

	it('a hop count believes that many proxies nearest the relay, never the client-written entries before them', () => {
		const one = parseTrustProxy('1');
		expect(clientAddress(request('127.0.0.1', '198.51.100.7'), one)).toBe('198.51.100.7');
		// The client wrote "6.6.6.6" itself; nginx appended the address it saw.
		expect(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.7'), one)).toBe('198.51.100.7');
		expect(clientAddress(request('127.0.0.1', ['6.6.6.6', '198.51.100.7']), one)).toBe('198.51.100.7');
		expect(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2'), parseTrustProxy('2'))).toBe('198.51.100.7');
		expect(clientAddress(request('127.0.0.1'), one)).toBe('127.0.0.1');
	});

	it('a list believes only the listed proxies, however many are chained', () => {
		const trust = parseTrustProxy('loopback, 10.0.0.0/8');
		expect(clientAddress(request('127.0.0.1', '198.51.100.7, 10.2.3.4'), trust)).toBe('198.51.100.7');
		// Straight from the internet: the header is the client's own word.
		expect(clientAddress(request('203.0.113.9', '10.2.3.4'), trust)).toBe('203.0.113.9');
		expect(clientAddress(request('::1', '2001:db8::5'), trust)).toBe('2001:db8::5');
		expect(clientAddress(request('127.0.0.1', '192.0.2.1'), parseTrustProxy('127.0.0.1'))).toBe('192.0.2.1');
	});

	it('a malformed entry stops the walk at the last proxy', () => {
		expect(clientAddress(request('127.0.0.1', 'not-an-address'), parseTrustProxy('1'))).toBe('127.0.0.1');
		expect(clientAddress(request('127.0.0.1', '198.51.100.7, <script>, 10.0.0.1'), parseTrustProxy('loopback, 10.0.0.0/8'))).toBe('10.0.0.1');
	});

	it('refuses values it cannot read', () => {
		expect(() => parseTrustProxy('nginx')).toThrow(TrustProxyError);
		expect(() => parseTrustProxy('10.0.0.0/40')).toThrow(TrustProxyError);
		expect(() => parseTrustProxy('1000')).toThrow(TrustProxyError);
	});
});
