import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';
import { newRoomId } from '../../shared/ids';
import { buildApp } from '../../web/testing/buildApp';
import { launchBrowser, newPerson } from '../../web/testing/browser';
import { enterName, waitSynced } from '../../web/testing/room';
import { seedItems } from '../../web/testing/seed';

/**
 * Where the web benchmark's time goes: the same first render and scroll as `run.ts`, in an
 * unminified build, with a CPU profile of the page (CDP `Profiler`) and its long tasks. Prints
 * the functions by self time and by total time, so a regression can be traced to a component.
 *
 * `node --import tsx bench/web/profile.ts [render|scroll] [--save dir] [--build dir]` (`--save`
 * writes the `.cpuprofile` files, which Chromium's DevTools opens).
 */

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Self and total milliseconds per function (`name file:line`), recursion counted once. */
function summarize(profile: Profile, top = 30): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const key = (node: ProfileNode) => {
		const file = node.callFrame.url.split('/').pop() || '';
		return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
	};
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		let node = byId.get(profile.samples[i]);
		if (!node) continue;
		self.set(key(node), (self.get(key(node)) ?? 0) + ms);
		const seen = new Set<string>();
		while (node) {
			const k = key(node);
			if (!seen.has(k)) {
				seen.add(k);
				total.set(k, (total.get(k) ?? 0) + ms);
			}
			const up = parent.get(node.id);
			node = up === undefined ? undefined : byId.get(up);
		}
	}
	const lines = (map: Map<string, number>) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${name}`)
			.join('\n');
	return `self:\n${lines(self)}\ntotal:\n${lines(total)}`;
}

interface TraceEvent {
	name: string;
	ph: string;
	dur?: number;
	/** Thread (CPU) time: less swayed than `dur` when other work shares the cores. */
	tdur?: number;
	tid: number;
	pid: number;
}

/** CPU milliseconds per kind of main-thread event (nested events counted in each), the busiest first. */
function summarizeTrace(trace: { traceEvents: TraceEvent[] }): string {
	const main = trace.traceEvents.find((event) => event.name === 'thread_name' && (event as unknown as { args: { name: string } }).args.name === 'CrRendererMain');
	const complete = trace.traceEvents.filter((event) => event.ph === 'X' && event.dur !== undefined && main && event.tid === main.tid && event.pid === main.pid);
	const totals = new Map<string, number>();
	for (const event of complete) totals.set(event.name, (totals.get(event.name) ?? 0) + (event.tdur ?? event.dur!) / 1000);
	return [...totals]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 25)
		.map(([name, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${name}`)
		.join('\n');
}

async function startProfile(page: Page): Promise<CDPSession> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	return cdp;
}

async function stopProfile(cdp: CDPSession, save: string | null, name: string): Promise<Profile> {
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
	if (save) writeFileSync(join(save, `${name}.cpuprofile`), JSON.stringify(profile));
	return profile;
}

async function main(): Promise<void> {
	const what = process.argv[2] ?? 'render';
	const saveAt = process.argv.indexOf('--save');
	const save = saveAt > 0 ? process.argv[saveAt + 1] : null;
	// `--build dir`: an unminified build made before (`vite build --minify false` with REFINERY_BUILD_DIR=dir).
	const builtAt = process.argv.indexOf('--build');
	const app = builtAt > 0 ? { buildDir: process.argv[builtAt + 1], remove: () => undefined } : buildApp({ minify: false });
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-profile-web-'));
	const config = loadConfig({ LOG_LEVEL: 'silent', MAX_ATTEMPTS_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_ADDRESS: '10000' });
	const server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir: app.buildDir });
	const baseUrl = `http://127.0.0.1:${server.port}`;
	const browser = await launchBrowser();
	try {
		const count = what === 'scroll' ? 5000 : 2000;
		const link = `${baseUrl}/r/${newRoomId()}#k=${newRoomId()}`;
		await seedItems(baseUrl, link, count, { name: `Profile ${count}` });
		const someone = await newPerson(browser, baseUrl);
		await someone.page.setViewportSize({ width: 1280, height: 800 });
		await someone.page.goto('/');
		await enterName(someone.page, 'Profiler');
		if (what === 'render') {
			// As in run.ts: a new person (empty IndexedDB) who has only seen the home page.
			const cdp = await startProfile(someone.page);
			await someone.page.addInitScript(() => {
				const tasks: [number, number][] = [];
				(window as unknown as { tasks: typeof tasks }).tasks = tasks;
				new PerformanceObserver((list) => {
					for (const entry of list.getEntries()) tasks.push([Math.round(entry.startTime), Math.round(entry.duration)]);
				}).observe({ type: 'longtask', buffered: true });
			});
			await someone.page.goto(link, { waitUntil: 'commit' });
			const shown = await someone.page.waitForFunction(
				(n) => (document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize') === String(n) ? performance.now() : null),
				count,
				{ polling: 'raf', timeout: 30_000 }
			);
			const at = (await shown.jsonValue()) as number;
			await someone.page.waitForTimeout(1000);
			const profile = await stopProfile(cdp, save, 'render');
			const tasks = await someone.page.evaluate(() => (window as unknown as { tasks: [number, number][] }).tasks);
			console.log(`first render: ${at.toFixed(0)} ms; long tasks [start, duration]: ${JSON.stringify(tasks)}`);
			console.log(summarize(profile));
		} else {
			await someone.page.goto(link);
			await waitSynced(someone.page);
			await someone.page.waitForFunction((n) => document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize') === String(n), count);
			await someone.page.waitForTimeout(1500);
			const trace = process.argv.includes('--trace');
			// The browser's own work (style, layout, paint) shows in a trace, not in the JS profile.
			if (trace) await browser.startTracing(someone.page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
			const cdp = trace ? null : await startProfile(someone.page);
			const result = await someone.page.evaluate(async () => {
				const longTasks: number[] = [];
				const observer = new PerformanceObserver((list) => {
					for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
				});
				observer.observe({ type: 'longtask', buffered: false });
				const viewport = document.scrollingElement!;
				let frames = 0;
				while (viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight - 1) {
					viewport.scrollTop += 600;
					await new Promise((resolve) => requestAnimationFrame(resolve));
					frames++;
				}
				await new Promise((resolve) => setTimeout(resolve, 200));
				observer.disconnect();
				return { longTasks, frames };
			});
			console.log(`scroll: ${result.frames} frames, long tasks ${JSON.stringify(result.longTasks)}`);
			if (cdp) console.log(summarize(await stopProfile(cdp, save, 'scroll'), 40));
			else console.log(summarizeTrace(JSON.parse((await browser.stopTracing()).toString('utf8'))));
		}
		await someone.context.close();
	} finally {
		await browser.close();
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	}
}

await main();
