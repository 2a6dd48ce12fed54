import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { addItem, createRoom, enterName, titles } from '../testing/room';
import { until } from '../testing/until';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Record CSP violations (the DOM event) and console errors from the first script on. */
async function watch(person: Person): Promise<{ violations: () => Promise<string[]>; consoleErrors: string[] }> {
	const consoleErrors: string[] = [];
	person.page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	await person.context.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
		document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
	});
	return { violations: () => person.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations ?? []), consoleErrors };
}

function get(path: string, host?: string, extra: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
	const url = new URL(path, baseUrl);
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { ...(host ? { host } : {}), ...extra } }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('security headers and CSP', () => {
	test('/ and /r/<id> carry a strict CSP with script hashes, framing and sniffing refused; a rebinding Host is refused', async () => {
		for (const path of ['/', '/r/AAAAAAAAAAAAAAAAAAAAAA']) {
			const { status, headers } = await get(path);
			expect(status, path).toBe(200);
			const csp = String(headers['content-security-policy']);
			expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).toContain("object-src 'none'");
			expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
			expect(csp).not.toContain('unsafe-eval');
			expect(headers['x-frame-options']).toBe('DENY');
			expect(headers['x-content-type-options']).toBe('nosniff');
			expect(headers['referrer-policy']).toBe('no-referrer');
			expect(headers['permissions-policy']).toBeDefined();
			expect((await get(path, 'rebind.example')).status, path).toBe(421);
		}
	});

	test('a page revalidated from the browser cache (304) keeps its own CSP: the 304 carries none that would replace it', async () => {
		for (const path of ['/', '/r/AAAAAAAAAAAAAAAAAAAAAA']) {
			const first = await get(path);
			const etag = first.headers.etag;
			expect(typeof etag, path).toBe('string');
			const again = await get(path, undefined, { 'if-none-match': String(etag) });
			expect(again.status, path).toBe(304);
			// A browser merges a 304's headers into its cached copy: a default CSP here would block the page's own scripts.
			expect(again.headers['content-security-policy'], path).toBeUndefined();
		}
	});

	test('the app works under its CSP: home, room, QR code, import worker, service worker, with no violation', async () => {
		const person = await newPerson(browser, baseUrl);
		const { violations, consoleErrors } = await watch(person);
		const { page } = person;
		await page.goto('/');
		await enterName(page, 'Ada');
		await createRoom(page, 'Under CSP');
		await addItem(page, 'First under CSP');
		await until(() => titles(page), (shown) => shown.includes('First under CSP'), { what: 'the item' });

		// The QR code is a data: image drawn by a lazily loaded module.
		await page.getByRole('button', { name: 'Share' }).click();
		const dialog = page.getByRole('dialog', { name: 'Share this room' });
		const qr = dialog.getByRole('img', { name: /QR code of/ });
		await until(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), (ok) => ok, { what: 'the QR code drawn' });
		await dialog.getByRole('button', { name: 'Close' }).click();

		// The import dialog parses in a module worker.
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		const importDialog = page.getByRole('dialog', { name: 'Import a backlog' });
		await importDialog.getByLabel('Backlog file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('Summary\nFrom the worker\n') });
		await until(() => importDialog.getByText('Read as CSV.').count(), (n) => n === 1, { what: 'the worker read the file' });
		await importDialog.getByRole('button', { name: 'Import 1 item' }).click();
		await until(() => titles(page), (shown) => shown.includes('From the worker'), { what: 'the imported item' });

		// The service worker installs and takes control.
		await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), (ready) => ready, { what: 'the service worker controls the page' });
		await page.reload();
		await until(() => titles(page), (shown) => shown.includes('From the worker'), { what: 'the room after a reload' });

		expect(await violations()).toEqual([]);
		expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
		expect(person.errors).toEqual([]);
		await person.context.close();
	});

	test('a page on another origin cannot frame the room', async () => {
		const roomUrl = `${baseUrl}/r/AAAAAAAAAAAAAAAAAAAAAA#k=AAAAAAAAAAAAAAAAAAAAAA`;
		const framer: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>framer</title><iframe id="f" src="${roomUrl}"></iframe>`));
		await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
		const address = framer.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		const person = await newPerson(browser, baseUrl);
		const blocked: string[] = [];
		person.page.on('console', (message) => {
			if (/frame-ancestors|X-Frame-Options/i.test(message.text())) blocked.push(message.text());
		});
		try {
			// localhost is another origin than 127.0.0.1.
			await person.page.goto(`http://localhost:${port}/`);
			await until(() => Promise.resolve(blocked.length), (n) => n > 0, { what: 'the frame refused' });
			const frame = person.page.frames().find((f) => f !== person.page.mainFrame());
			const rendered = await frameShowsApp(frame ? frame : null);
			expect(rendered).toBe(false);
		} finally {
			await person.context.close();
			framer.close();
		}
	});
});

/** Whether a frame shows the app (a refused frame is an error page with no app in it). */
async function frameShowsApp(frame: Awaited<ReturnType<Page['frames']>>[number] | null): Promise<boolean> {
	if (frame === null) return false;
	try {
		return await frame.evaluate(() => document.querySelector('[data-sveltekit-preload-data]') !== null);
	} catch {
		return false;
	}
}
