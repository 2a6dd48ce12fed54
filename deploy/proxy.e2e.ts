import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadConfig } from '../server/config';
import { startServer, type RunningServer } from '../server/main';
import { CloseCode } from '../server/relay/closeCodes';
import { newRoom, rawSession, waitFor, type RawSession } from '../server/testing/clients';
import { freePort } from '../server/testing/serverProcess';
import { launchBrowser, newPerson } from '../web/testing/browser';
import { addItem, createRoom, enterName, shareLinks } from '../web/testing/room';

/**
 * deploy/nginx.conf and deploy/Caddyfile, run by a real nginx and a real Caddy on free loopback
 * ports in front of a real relay with TRUST_PROXY=1. Clients bind distinct 127.x.y.z source
 * addresses (all of 127.0.0.0/8 is loopback on Linux), so the proxy sees distinct people.
 */

const buildDir = inject('buildDir');
const CLIENTS = 100;

interface Proxy {
	url: string;
	accessLog(): string;
	stop(): Promise<void>;
}

/** Replace `from` in the deployed config, failing loudly if the file no longer has it. */
function edit(text: string, from: string | RegExp, to: string): string {
	if (!(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`deploy config changed: ${String(from)} not found`);
	return text.replace(from, to);
}

function hasCommand(name: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

async function waitListening(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`proxy exited with ${child.exitCode}: ${output()}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) return;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`proxy did not start: ${output()}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}

async function startNginx(upstreamPort: number): Promise<Proxy> {
	const prefix = mkdtempSync(join(tmpdir(), 'refinery-nginx-'));
	const port = await freePort();
	let site = readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8');
	site = edit(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${upstreamPort};`);
	// The test speaks plain HTTP on a loopback port: no redirect block, no certificates.
	site = edit(site, /server \{\n\tlisten 80;[\s\S]*?\n\}\n/, '');
	site = edit(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${port};`);
	site = edit(site, /\n\tlisten \[::\]:443 ssl http2;/, '');
	site = edit(site, /\n\tssl_certificate [^\n]*\n\tssl_certificate_key [^\n]*/, '');
	site = edit(site, '/var/log/nginx/refinery.access.log', join(prefix, 'access.log'));
	writeFileSync(join(prefix, 'refinery.conf'), site);
	writeFileSync(
		join(prefix, 'nginx.conf'),
		`${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 4096; }
http {
	client_body_temp_path ${join(prefix, 'body')};
	proxy_temp_path ${join(prefix, 'proxy')};
	fastcgi_temp_path ${join(prefix, 'fastcgi')};
	uwsgi_temp_path ${join(prefix, 'uwsgi')};
	scgi_temp_path ${join(prefix, 'scgi')};
	access_log off;
	include ${join(prefix, 'refinery.conf')};
}
`
	);
	let output = '';
	const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	await waitListening(url, child, () => output + safeRead(join(prefix, 'error.log')));
	return {
		url,
		accessLog: () => safeRead(join(prefix, 'access.log')),
		async stop() {
			await stopChild(child);
			rmSync(prefix, { recursive: true, force: true });
		}
	};
}

async function startCaddy(upstreamPort: number): Promise<Proxy> {
	const prefix = mkdtempSync(join(tmpdir(), 'refinery-caddy-'));
	const port = await freePort();
	let site = readFileSync(new URL('./Caddyfile', import.meta.url), 'utf8');
	site = edit(site, 'refinery.example {', `http://127.0.0.1:${port} {`);
	site = edit(site, 'reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${upstreamPort}`);
	site = edit(site, '/var/log/caddy/refinery.access.log', join(prefix, 'access.log'));
	writeFileSync(join(prefix, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n\tstorage file_system ${join(prefix, 'data')}\n}\n\n${site}`);
	let output = '';
	const env = { ...process.env, HOME: prefix, XDG_DATA_HOME: join(prefix, 'data'), XDG_CONFIG_HOME: join(prefix, 'config') };
	const child = spawn('caddy', ['run', '--config', join(prefix, 'Caddyfile'), '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	await waitListening(url, child, () => output);
	return {
		url,
		accessLog: () => safeRead(join(prefix, 'access.log')),
		async stop() {
			await stopChild(child);
			rmSync(prefix, { recursive: true, force: true });
		}
	};
}

function safeRead(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}

/** A WebSocket whose connections leave from `localAddress`: to the proxy, another person. */
function socketFrom(localAddress: string): typeof globalThis.WebSocket {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { localAddress });
		}
	} as unknown as typeof globalThis.WebSocket;
}

/** 127.0.1.1, 127.0.1.2, …: one loopback address per person. */
const personAddress = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

const proxies: [string, (upstreamPort: number) => Promise<Proxy>, boolean][] = [
	['nginx', startNginx, true],
	// Caddy is optional on a developer's machine; .ci/run installs it.
	['Caddy', startCaddy, hasCommand('caddy')]
];

for (const [name, start, available] of proxies) {
	describe.skipIf(!available)(`Refinery behind ${name} (deploy config, TRUST_PROXY=1)`, () => {
		let server: RunningServer;
		let proxy: Proxy;
		let browser: Browser;
		let dataDir: string;

		beforeAll(async () => {
			dataDir = mkdtempSync(join(tmpdir(), 'refinery-proxy-'));
			const config = loadConfig({ LOG_LEVEL: 'silent', TRUST_PROXY: '1' });
			server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir });
			proxy = await start(server.port);
			browser = await launchBrowser();
		});
		afterAll(async () => {
			await browser?.close();
			await proxy?.stop();
			await server?.close();
			rmSync(dataDir, { recursive: true, force: true });
		});

		test(`${CLIENTS} stock clients from distinct addresses all connect and sync; the 65th connection from one address is refused`, { timeout: 180_000 }, async () => {
			const room = await newRoom();
			const syncUrl = `${proxy.url.replace(/^http/, 'ws')}/sync`;
			const providers = Array.from({ length: CLIENTS }, (_, i) => {
				const provider = new WebsocketProvider(syncUrl, room.roomId, new Y.Doc(), {
					params: { key: room.editKey },
					WebSocketPolyfill: socketFrom(personAddress(i)),
					disableBc: true,
					maxBackoffTime: 1000
				});
				return provider;
			});
			const sessions: RawSession[] = [];
			try {
				await waitFor(() => providers.every((p) => p.synced), 90_000, `${CLIENTS} clients synced`);
				providers[0].doc.getText('t').insert(0, 'through the proxy');
				await waitFor(() => providers.every((p) => p.doc.getText('t').toString() === 'through the proxy'), 30_000, 'the edit everywhere');
				expect(server.relay.stats().connections).toBe(CLIENTS);

				// One more person opens 65 connections: the per-address limit (64) counts them, not the proxy.
				const url = `${syncUrl}/${room.roomId}?key=${room.editKey}`;
				for (let i = 0; i < 64; i++) sessions.push(rawSession(url, { localAddress: '127.0.9.9' }));
				await waitFor(() => sessions.every((s) => s.frames.length > 0), 60_000, '64 connections from one address');
				const extra = rawSession(url, { localAddress: '127.0.9.9' });
				sessions.push(extra);
				await extra.closed;
				expect(extra.closeCode).toBe(CloseCode.tooManyConnections);
				// Everyone else is still there.
				expect(server.relay.stats().connections).toBe(CLIENTS + 64);
			} finally {
				for (const provider of providers) provider.destroy();
				for (const session of sessions) session.socket.terminate();
			}
		});

		test('headers pass through; the app works through the proxy and no key reaches its access log', { timeout: 120_000 }, async () => {
			const home = await fetch(`${proxy.url}/`);
			expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(home.headers.get('x-frame-options')).toBe('DENY');

			const person = await newPerson(browser, proxy.url);
			await person.page.goto('/');
			await enterName(person.page, 'Ada');
			await createRoom(person.page, 'Behind a proxy');
			await addItem(person.page, 'Proxied item');
			const links = await shareLinks(person.page);
			const editKey = new URL(links.edit!).hash.slice('#k='.length);
			const viewKey = new URL(links.view).hash.slice('#v='.length);
			const roomId = new URL(links.view).pathname.split('/').pop()!;
			await person.context.close();
			// And a stock client, which can only send ?key=.
			const stock = rawSession(`${proxy.url.replace(/^http/, 'ws')}/sync/${roomId}?key=${viewKey}`);
			await waitFor(() => stock.frames.length > 0, 10_000, 'a stock client connected');
			stock.socket.close();
			await stock.closed;
			// A WebSocket request is logged when it ends.
			await waitFor(() => proxy.accessLog().includes(`/sync/${roomId}`), 10_000, 'the app’s connection in the access log');
			const log = proxy.accessLog();
			expect(log).not.toContain(editKey);
			expect(log).not.toContain(viewKey);
			expect(log).not.toMatch(/key=/);
			expect(log).not.toMatch(/key\.[A-Za-z0-9_-]{22}/);
			expect(person.errors).toEqual([]);
		});
	});
}
