import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { deriveViewKey } from '../../server/access/keys';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';
import { newRoomId } from '../../shared/ids';
import { buildApp } from '../../web/testing/buildApp';
import { launchBrowser, newPerson, type Person } from '../../web/testing/browser';
import { enterName, waitSynced } from '../../web/testing/room';
import { seedItems } from '../../web/testing/seed';
import { fmt, median, quantile } from '../stats';

/**
 * Web benchmarks (issue 4), against the built app and the real server on loopback, in Debian's
 * Chromium: first render of a 2,000-item room, keystroke-to-screen latency between two people,
 * and long tasks while scrolling a 5,000-item list.
 */

const RENDER_RUNS = 5;
const KEYSTROKES = 200;

/** A room nobody has opened yet, filled with `count` items through the relay. */
async function seededRoom(baseUrl: string, count: number): Promise<{ edit: string; view: string }> {
	const roomId = newRoomId();
	const key = newRoomId();
	const edit = `${baseUrl}/r/${roomId}#k=${key}`;
	await seedItems(baseUrl, edit, count, { name: `Bench ${count}` });
	return { edit, view: `${baseUrl}/r/${roomId}#v=${await deriveViewKey(key)}` };
}

/** A person with a name already given, on the home page. */
async function person(browser: Browser, baseUrl: string, name: string): Promise<Person> {
	const someone = await newPerson(browser, baseUrl);
	await someone.page.setViewportSize({ width: 1280, height: 800 });
	await someone.page.goto('/');
	await enterName(someone.page, name);
	return someone;
}

/** Milliseconds from navigation start until the list shows rows of a `count`-item room. */
async function firstRender(page: Page, link: string, count: number): Promise<number> {
	await page.goto(link, { waitUntil: 'commit' });
	const handle = await page.waitForFunction(
		(n) => {
			const first = document.querySelector('[aria-posinset="1"]');
			return first && first.getAttribute('aria-setsize') === String(n) ? performance.now() : null;
		},
		count,
		{ polling: 'raf', timeout: 30_000 }
	);
	return (await handle.jsonValue()) as number;
}

/** A types into a title; B (a viewer, whose titles are text) timestamps each change it sees. */
async function keystrokes(browser: Browser, baseUrl: string): Promise<number[]> {
	const room = await seededRoom(baseUrl, 20);
	const alice = await person(browser, baseUrl, 'Alice');
	const bob = await person(browser, baseUrl, 'Bob');
	await alice.page.goto(room.edit);
	await bob.page.goto(room.view);
	await Promise.all([waitSynced(alice.page), waitSynced(bob.page)]);
	const title = alice.page.getByRole('textbox', { name: 'Title of item 1', exact: true });
	await title.click();
	await title.press('End');
	const base = await title.inputValue();
	await bob.page.evaluate((baseLength) => {
		const seen: number[] = [];
		(window as unknown as { seen: number[] }).seen = seen;
		// No named inner functions here: tsx would wrap them in a helper the page does not have.
		new MutationObserver(() => {
			const now = performance.timeOrigin + performance.now();
			const length = (document.querySelector('[aria-posinset="1"] .title-text')?.textContent ?? '').length - baseLength;
			while (seen.length < length) seen.push(now);
		}).observe(document.querySelector('ol')!, { subtree: true, characterData: true, childList: true });
	}, base.length);
	await alice.page.evaluate(() => {
		const sent: number[] = [];
		(window as unknown as { sent: number[] }).sent = sent;
		addEventListener('keydown', () => sent.push(performance.timeOrigin + performance.now()), true);
	});
	for (let i = 0; i < KEYSTROKES; i++) {
		await alice.page.keyboard.press(String.fromCharCode(97 + (i % 26)));
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	const deadline = Date.now() + 10_000;
	let seen: number[] = [];
	while (Date.now() < deadline) {
		seen = await bob.page.evaluate(() => (window as unknown as { seen: number[] }).seen);
		if (seen.length >= KEYSTROKES) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const sent = await alice.page.evaluate(() => (window as unknown as { sent: number[] }).sent);
	await alice.context.close();
	await bob.context.close();
	if (seen.length < KEYSTROKES) throw new Error(`B saw ${seen.length} of ${KEYSTROKES} keystrokes`);
	return sent.slice(0, KEYSTROKES).map((at, i) => seen[i] - at);
}

/** Scroll a 5,000-item list top to bottom a frame at a time; the long tasks seen meanwhile. */
async function scrolling(browser: Browser, baseUrl: string): Promise<{ longTasks: number[]; frames: number[]; rendered: number }> {
	const room = await seededRoom(baseUrl, 5000);
	const someone = await person(browser, baseUrl, 'Scroller');
	await someone.page.goto(room.edit);
	await waitSynced(someone.page);
	await someone.page.waitForFunction(() => document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize') === '5000');
	// Let the first load settle (IndexedDB stores the room) so the scroll is measured alone.
	await someone.page.waitForTimeout(1500);
	const result = await someone.page.evaluate(async () => {
		const longTasks: number[] = [];
		const observer = new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) longTasks.push(entry.duration);
		});
		observer.observe({ type: 'longtask', buffered: false });
		// The list scrolls with the page (one scroll; the header and the add field stay in view).
		const viewport = document.scrollingElement!;
		const frames: number[] = [];
		let rendered = 0;
		let last = performance.now();
		while (viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight - 1) {
			viewport.scrollTop += 600;
			await new Promise((resolve) => requestAnimationFrame(resolve));
			const now = performance.now();
			frames.push(now - last);
			last = now;
			rendered = Math.max(rendered, document.querySelectorAll('[aria-posinset]').length);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
		observer.disconnect();
		return { longTasks, frames, rendered };
	});
	await someone.context.close();
	return result;
}

export async function main(): Promise<void> {
	console.log('\n## Web (built app, real server on loopback, Chromium headless)');
	const app = buildApp();
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-web-'));
	const config = loadConfig({ LOG_LEVEL: 'silent', MAX_ATTEMPTS_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_ADDRESS: '10000' });
	const server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir: app.buildDir });
	const baseUrl = `http://127.0.0.1:${server.port}`;
	const browser = await launchBrowser();
	try {
		const renders: number[] = [];
		const room = await seededRoom(baseUrl, 2000);
		for (let i = 0; i < RENDER_RUNS; i++) {
			// A new person each time: an empty IndexedDB, so the room comes from the relay.
			const someone = await person(browser, baseUrl, `Viewer ${i}`);
			renders.push(await firstRender(someone.page, room.edit, 2000));
			await someone.context.close();
		}
		console.log(`first render, 2,000 items (navigation → rows shown), ${RENDER_RUNS} runs: median ${fmt(median(renders))} ms, min ${fmt(Math.min(...renders))}, max ${fmt(Math.max(...renders))} (target < 500)`);

		const latencies = await keystrokes(browser, baseUrl);
		console.log(
			`keystroke A → B's screen, ${latencies.length} keystrokes: p50 ${fmt(quantile(latencies, 0.5))} ms, p95 ${fmt(quantile(latencies, 0.95))} ms, max ${fmt(Math.max(...latencies))} ms (target p95 < 50)`
		);

		const scroll = await scrolling(browser, baseUrl);
		console.log(
			`scroll 5,000 items top to bottom (600 px a frame, ${scroll.frames.length} frames): long tasks > 50 ms: ${scroll.longTasks.length}` +
				`${scroll.longTasks.length ? ` (max ${fmt(Math.max(...scroll.longTasks))} ms)` : ''}, frame p50 ${fmt(quantile(scroll.frames, 0.5))} ms, p95 ${fmt(quantile(scroll.frames, 0.95))} ms, max ${fmt(Math.max(...scroll.frames))} ms, rows in the page at most ${scroll.rendered}`
		);
	} finally {
		await browser.close();
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	}
}
