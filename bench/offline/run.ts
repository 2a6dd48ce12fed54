import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';
import { newRoomId } from '../../shared/ids';
import { buildApp } from '../../web/testing/buildApp';
import { launchBrowser, newPerson, type Person } from '../../web/testing/browser';
import { enterName, waitSynced } from '../../web/testing/room';
import { seedItems } from '../../web/testing/seed';
import { until } from '../../web/testing/until';
import { fmt, median } from '../stats';

/**
 * Offline benchmark (issue 5), against the built app (test mode, for the `__refinery` handle)
 * and the real server on loopback, in Debian's Chromium: two people go offline, each makes 1,000
 * changes (keystrokes, one transaction each, 100 in each of the same 10 titles), then both come
 * back online. Measured until both screens show the merged titles.
 */

const RUNS = 3;
const ITEMS = 10;
const PER_ITEM = 100;

/** A person with a name already given, in the room, synced. */
async function person(browser: Browser, baseUrl: string, name: string, link: string): Promise<Person> {
	const someone = await newPerson(browser, baseUrl);
	await someone.page.setViewportSize({ width: 1280, height: 900 });
	await someone.page.goto('/');
	await enterName(someone.page, name);
	await someone.page.goto(link);
	await waitSynced(someone.page);
	return someone;
}

/** Type `PER_ITEM` × `char` at the end of each of the first `ITEMS` titles: one change per keystroke. */
async function typeChanges(page: Page, char: string): Promise<void> {
	for (let i = 1; i <= ITEMS; i++) {
		const title = page.getByRole('textbox', { name: `Title of item ${i}`, exact: true });
		await title.click();
		await title.press('End');
		for (let k = 0; k < PER_ITEM; k += 10) await title.pressSequentially(char.repeat(10));
	}
}

/**
 * In the page: note when the socket connects, and (each animation frame) when every one of the
 * first titles holds both people's characters, i.e. the merged state is on screen.
 */
async function watchMerge(page: Page): Promise<void> {
	await page.evaluate(
		({ items, perItem }) => {
			const w = window as unknown as {
				__refinery: { session: { provider: { on(event: 'status', fn: (e: { status: string }) => void): void } } };
				merge: { connectedAt: number | null; mergedAt: number | null };
			};
			const merge = { connectedAt: null as number | null, mergedAt: null as number | null };
			w.merge = merge;
			w.__refinery.session.provider.on('status', (event) => {
				if (event.status === 'connected' && merge.connectedAt === null) merge.connectedAt = performance.timeOrigin + performance.now();
			});
			// No named inner functions here: tsx would wrap them in a helper the page does not have.
			void (async () => {
				for (;;) {
					await new Promise((resolve) => requestAnimationFrame(resolve));
					const titles = [...document.querySelectorAll<HTMLInputElement>('input.title')].slice(0, items).map((input) => input.value);
					if (titles.length === items && titles.every((title) => title.split('x').length - 1 === perItem && title.split('y').length - 1 === perItem)) {
						merge.mergedAt = performance.timeOrigin + performance.now();
						return;
					}
				}
			})();
		},
		{ items: ITEMS, perItem: PER_ITEM }
	);
}

async function readMerge(page: Page): Promise<{ connectedAt: number | null; mergedAt: number | null }> {
	return page.evaluate(() => (window as unknown as { merge: { connectedAt: number | null; mergedAt: number | null } }).merge);
}

async function oneRun(browser: Browser, baseUrl: string): Promise<{ total: number; merge: number; pending: number[] }> {
	const roomId = newRoomId();
	const link = `${baseUrl}/r/${roomId}#k=${newRoomId()}`;
	await seedItems(baseUrl, link, ITEMS, { name: 'Offline bench' });
	const alice = await person(browser, baseUrl, 'Alice', link);
	const bob = await person(browser, baseUrl, 'Bob', link);
	try {
		for (const { context } of [alice, bob]) await context.setOffline(true);
		await typeChanges(alice.page, 'x');
		await typeChanges(bob.page, 'y');
		const pending = await Promise.all(
			[alice, bob].map(({ page }) => page.getByRole('status', { name: 'Connection' }).getAttribute('data-pending').then(Number))
		);
		for (const { page } of [alice, bob]) await watchMerge(page);
		const online = Date.now();
		await Promise.all([alice.context.setOffline(false), bob.context.setOffline(false)]);
		const results = await until(
			() => Promise.all([readMerge(alice.page), readMerge(bob.page)]),
			(both) => both.every((one) => one.mergedAt !== null),
			{ what: 'both show the merged titles', timeout: 30_000 }
		);
		const merged = Math.max(...results.map((one) => one.mergedAt!));
		const connected = Math.max(...results.map((one) => one.connectedAt ?? online));
		return { total: merged - online, merge: merged - connected, pending };
	} finally {
		await alice.context.close();
		await bob.context.close();
	}
}

export async function main(): Promise<void> {
	console.log('\n## Offline (built app, real server on loopback, Chromium headless)');
	const app = buildApp({ mode: 'test' });
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-offline-'));
	const config = loadConfig({ LOG_LEVEL: 'silent', MAX_ATTEMPTS_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_ADDRESS: '10000' });
	const server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir: app.buildDir });
	const baseUrl = `http://127.0.0.1:${server.port}`;
	const browser = await launchBrowser();
	try {
		const totals: number[] = [];
		const merges: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const result = await oneRun(browser, baseUrl);
			if (result.pending.some((count) => count !== ITEMS * PER_ITEM)) throw new Error(`expected ${ITEMS * PER_ITEM} pending changes each, got ${result.pending.join(', ')}`);
			totals.push(result.total);
			merges.push(result.merge);
		}
		console.log(
			`merge two offline histories of ${ITEMS * PER_ITEM} changes each (${RUNS} runs): last socket open → both screens merged: median ${fmt(median(merges))} ms (min ${fmt(Math.min(...merges))}, max ${fmt(Math.max(...merges))}; target < 200)`
		);
		console.log(
			`  network back → both screens merged (includes the 0–100 ms jittered reconnect wait and the handshake): median ${fmt(median(totals))} ms (min ${fmt(Math.min(...totals))}, max ${fmt(Math.max(...totals))})`
		);
	} finally {
		await browser.close();
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	}
}
