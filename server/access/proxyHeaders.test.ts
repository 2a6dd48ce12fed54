import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { syncProtocols } from '../../shared/wire/subprotocol';
import { CloseCode } from '../relay/closeCodes';
import { newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { parseTrustProxy } from './clientAddress';
import { hostPolicy } from './host';

let relay: TestRelay | null = null;
afterEach(async () => {
	await relay?.close();
	relay = null;
});

/** A GET with a Host header of our choosing (fetch will not send one). */
function get(port: number, path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
		});
		req.on('error', reject);
		req.end();
	});
}

const loopbackOnly = hostPolicy({ allowedHosts: undefined, publicUrl: null, listenHost: '127.0.0.1', machineName: 'box' });

describe('security headers and the Host check', () => {
	it('every HTTP response carries the headers; a rebinding Host gets 421 on HTTP and on /sync', async () => {
		relay = await startTestRelay({ allowedHosts: loopbackOnly });
		const ok = await get(relay.port, '/healthz', `127.0.0.1:${relay.port}`);
		expect(ok.status).toBe(200);
		expect(ok.headers['x-frame-options']).toBe('DENY');
		expect(ok.headers['x-content-type-options']).toBe('nosniff');
		expect(ok.headers['referrer-policy']).toBe('no-referrer');
		expect(ok.headers['permissions-policy']).toContain('camera=()');
		expect(ok.headers['content-security-policy']).toContain("frame-ancestors 'none'");
		expect((await get(relay.port, '/metrics', `localhost:${relay.port}`)).headers['x-frame-options']).toBe('DENY');

		const rebound = await get(relay.port, '/healthz', `rebind.example:${relay.port}`);
		expect(rebound.status).toBe(421);
		expect(rebound.headers['x-frame-options']).toBe('DENY');

		const room = await newRoom();
		const session = rawSession(`${relay.syncUrl}/${room.roomId}?key=${room.editKey}`, { headers: { host: `rebind.example:${relay.port}`, origin: `http://rebind.example:${relay.port}` } });
		await session.closed;
		expect(session.httpStatus).toBe(421);
		expect(relay.relay.rooms.size).toBe(0);
	});
});

describe('the key in the subprotocol header', () => {
	it('the app offers refinery + key.<key> and gets plain refinery back, with the security headers on the upgrade', async () => {
		relay = await startTestRelay({ allowedHosts: loopbackOnly });
		const room = await newRoom();
		let upgradeHeaders: Record<string, string | string[] | undefined> = {};
		const sockets: WebSocket[] = [];
		// What the app does: WebsocketProvider's `protocols`, no key in the URL.
		class RecordingSocket extends WebSocket {
			constructor(url: string, protocols?: string | string[]) {
				super(url, protocols);
				expect(url).not.toContain(room.editKey);
				this.on('upgrade', (response) => (upgradeHeaders = response.headers));
				sockets.push(this);
			}
		}
		const doc = new Y.Doc();
		const provider = new WebsocketProvider(relay.syncUrl, room.roomId, doc, {
			protocols: syncProtocols(room.editKey),
			WebSocketPolyfill: RecordingSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true
		});
		try {
			await synced(provider);
			expect(sockets[0].protocol).toBe('refinery');
			expect(upgradeHeaders['sec-websocket-protocol']).toBe('refinery');
			expect(upgradeHeaders['x-frame-options']).toBe('DENY');
			expect(upgradeHeaders['x-content-type-options']).toBe('nosniff');
			doc.getText('t').insert(0, 'hello');
			await waitFor(() => (relay!.relay.rooms.get(room.roomId)?.size ?? 0) > 0, 5000, 'update stored');
		} finally {
			provider.destroy();
		}
		// A wrong key in the header is refused like a wrong ?key=.
		const wrong = new WebSocket(`${relay.syncUrl}/${room.roomId}`, syncProtocols((await newRoom()).editKey));
		const code = await new Promise<number>((resolve) => wrong.on('close', resolve));
		expect(code).toBe(CloseCode.forbidden);
	});
});

describe('TRUST_PROXY', () => {
	const open = (url: string, forwardedFor?: string) =>
		rawSession(url, forwardedFor === undefined ? {} : { headers: { 'x-forwarded-for': forwardedFor } });

	it('counts the forwarded address from a trusted proxy, and ignores the header from anyone else', async () => {
		relay = await startTestRelay({ trustProxy: parseTrustProxy('loopback'), limits: { maxConnectionsPerAddress: 2 } });
		const room = await newRoom();
		const url = `${relay.syncUrl}/${room.roomId}?key=${room.editKey}`;
		// Two people behind the proxy with two connections each: all four stay.
		const people = [open(url, '198.51.100.1'), open(url, '198.51.100.1'), open(url, '198.51.100.2'), open(url, '198.51.100.2')];
		await waitFor(() => people.every((p) => p.frames.length > 0), 5000, 'four connections');
		const third = open(url, '198.51.100.1');
		await third.closed;
		expect(third.closeCode).toBe(CloseCode.tooManyConnections);
		for (const p of people) p.socket.close();
		await Promise.all(people.map((p) => p.closed));
	});

	it('without TRUST_PROXY a forged X-Forwarded-For does not escape the limit', async () => {
		relay = await startTestRelay({ limits: { maxConnectionsPerAddress: 2 } });
		const room = await newRoom();
		const url = `${relay.syncUrl}/${room.roomId}?key=${room.editKey}`;
		const two = [open(url, '198.51.100.1'), open(url, '198.51.100.2')];
		await waitFor(() => two.every((p) => p.frames.length > 0), 5000, 'two connections');
		const forged = open(url, '198.51.100.3');
		await forged.closed;
		expect(forged.closeCode).toBe(CloseCode.tooManyConnections);
		for (const p of two) p.socket.close();
		await Promise.all(two.map((p) => p.closed));
	});
});
