import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';
import { buildApp } from '../../web/testing/buildApp';
import { launchBrowser, newPerson } from '../../web/testing/browser';
import { createRoom, enterName } from '../../web/testing/room';
import { fmt, median } from '../stats';

/**
 * Import benchmark (issue 7): a 10,000-row Jira-style CSV imported through the Import dialog of
 * the built app, against the real server on loopback, in Debian's Chromium. Measured in the page:
 * file chosen → preview shown, Import pressed → the list shows 10,000 rows, the one Yjs apply
 * (performance measure `refinery:import-apply`), long tasks (> 50 ms) over the whole import, how
 * many progress values the bar showed, and the longest gap between animation frames.
 */

const ROWS = Number(process.env.BENCH_IMPORT_ROWS) || 10_000;
const RUNS = Number(process.env.BENCH_IMPORT_RUNS) || 3;

/** Jira "all fields" style: Summary, type, status, points, repeated Labels, a quoted description; `criteria` adds two per row. */
export function jiraCsv(rows: number, criteria: boolean): string {
	const header = ['Summary', 'Issue key', 'Issue Type', 'Status', 'Custom field (Story Points)', 'Labels', 'Labels', 'Description', ...(criteria ? ['Custom field (Acceptance Criteria)'] : [])];
	const types = ['Story', 'Bug', 'Task', 'Story', 'Spike'];
	const states = ['To Do', 'In Progress', 'Done', 'Backlog'];
	const lines = [header.join(',')];
	for (let i = 0; i < rows; i++) {
		const cells = [
			`"Item ${i + 1}: as a shopper, I want thing ${i + 1}"`,
			`SHOP-${i + 1}`,
			types[i % types.length],
			states[i % states.length],
			String([1, 2, 3, 5, 8][i % 5]),
			`team-${i % 7}`,
			i % 3 ? '' : 'ux',
			`"So that I can ""check out"" faster.\nSecond line ${i}."`,
			...(criteria ? [`"* Works for case ${i}\n* Shows an error otherwise"`] : [])
		];
		lines.push(cells.join(','));
	}
	return lines.join('\r\n') + '\r\n';
}

/** Long tasks, progress-bar values and frame gaps, recorded in the page from here on. */
const INSTRUMENT = `(() => {
	const bench = { longTasks: [], progress: new Set(), maxGap: 0, t0: 0, stop: false };
	window.bench = bench;
	new PerformanceObserver((list) => { for (const entry of list.getEntries()) bench.longTasks.push(entry.duration); }).observe({ type: 'longtask' });
	new MutationObserver(() => {
		const bar = document.querySelector('progress');
		if (bar) bench.progress.add(bar.getAttribute('value') ?? '');
	}).observe(document.body, { subtree: true, attributes: true, childList: true, attributeFilter: ['value'] });
	let last = performance.now();
	function frame(now) {
		bench.maxGap = Math.max(bench.maxGap, now - last);
		last = now;
		if (!bench.stop) requestAnimationFrame(frame);
	}
	requestAnimationFrame(frame);
	bench.t0 = performance.now();
})()`;

interface RunResult {
	preview: number;
	imported: number;
	apply: number;
	build: number;
	longTasks: number[];
	progressValues: number;
	maxFrameGap: number;
}

async function importOnce(browser: Browser, baseUrl: string, csv: Buffer): Promise<RunResult> {
	const someone = await newPerson(browser, baseUrl);
	const { page } = someone;
	try {
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.goto('/');
		await enterName(page, 'Importer');
		await createRoom(page, 'Import bench');
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Import a backlog' });
		// A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
		await page.evaluate(INSTRUMENT);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'backlog.csv', mimeType: 'text/csv', buffer: csv });
		const button = dialog.getByRole('button', { name: `Import ${ROWS} items` });
		await button.waitFor({ timeout: 60_000 });
		const preview = await page.evaluate(() => performance.now() - (window as unknown as { bench: { t0: number } }).bench.t0);
		const clicked = await page.evaluate(() => performance.now());
		await button.click();
		const shownAt = await (
			await page.waitForFunction((n) => (document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize') === String(n) ? performance.now() : null), ROWS, {
				polling: 'raf',
				timeout: 60_000
			})
		)
			.jsonValue()
			.catch(async (error: Error) => {
				const state = await page.evaluate(() => ({
					setsize: document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize'),
					dialog: document.querySelector('dialog[open]')?.textContent?.slice(0, 400)
				}));
				throw new Error(`${error.message}; page: ${JSON.stringify(state)}; errors: ${someone.errors.join('; ')}`);
			});
		await page.waitForTimeout(300);
		const measured = await page.evaluate(() => {
			const w = window as unknown as { bench: { longTasks: number[]; progress: Set<string>; maxGap: number; stop: boolean } };
			w.bench.stop = true;
			const apply = performance.getEntriesByName('refinery:import-apply').map((e) => e.duration);
			const build = performance.getEntriesByName('refinery:import-build').map((e) => e.duration);
			return {
				build: build[build.length - 1] ?? NaN, longTasks: w.bench.longTasks, progressValues: w.bench.progress.size, maxFrameGap: w.bench.maxGap, apply: apply[apply.length - 1] ?? NaN };
		});
		if (someone.errors.length) throw new Error(`page errors: ${someone.errors.join('; ')}`);
		return { preview, imported: (shownAt as number) - clicked, ...measured };
	} finally {
		await someone.context.close();
	}
}

function report(label: string, runs: RunResult[]): void {
	const longest = runs.map((r) => Math.max(0, ...r.longTasks));
	console.log(
		`${label}, ${RUNS} runs (medians): file chosen → preview ${fmt(median(runs.map((r) => r.preview)))} ms; Import pressed → all rows shown ${fmt(median(runs.map((r) => r.imported)))} ms; ` +
			`total ${fmt(median(runs.map((r) => r.preview + r.imported)))} ms (target < 2000); of which building in the worker ${fmt(median(runs.map((r) => r.build)))} ms and the one apply ${fmt(median(runs.map((r) => r.apply)))} ms (target < 200); ` +
			`longest task ${fmt(median(longest))} ms (max ${fmt(Math.max(...longest))}; target < 200), long tasks > 50 ms per import ${median(runs.map((r) => r.longTasks.length))}; ` +
			`progress values shown ${median(runs.map((r) => r.progressValues))}; longest frame gap ${fmt(median(runs.map((r) => r.maxFrameGap)))} ms`
	);
}

export async function main(): Promise<void> {
	console.log('\n## Import (built app, real server on loopback, Chromium headless)');
	const app = buildApp();
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-import-'));
	const config = loadConfig({ LOG_LEVEL: 'silent', MAX_ATTEMPTS_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_ADDRESS: '10000' });
	const server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir: app.buildDir });
	const baseUrl = `http://127.0.0.1:${server.port}`;
	const browser = await launchBrowser();
	try {
		for (const criteria of [false, true]) {
			const csv = Buffer.from(jiraCsv(ROWS, criteria));
			const runs: RunResult[] = [];
			for (let i = 0; i < RUNS; i++) runs.push(await importOnce(browser, baseUrl, csv));
			report(`${ROWS.toLocaleString('en')} CSV rows (${(csv.length / 2 ** 20).toFixed(1)} MiB${criteria ? ', 2 acceptance criteria each' : ''})`, runs);
		}
	} finally {
		await browser.close();
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	}
}
