import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { newRoomId } from '../../shared/ids';
import { buildApp } from '../../web/testing/buildApp';
import { launchBrowser, newPerson } from '../../web/testing/browser';
import { enterName } from '../../web/testing/room';
import { seedItems } from '../../web/testing/seed';
import { fmt, median } from '../stats';

/**
 * First render of a 2,000-item room, ours against a reference commit's whole app (its own
 * build and its own server), in one run with the loads interleaved, so a
 * slower or busier machine moves both alike. The default reference is e6f6729, the commit that
 * recorded 438 ms on 2026-11-23 (docs/BENCHMARKS.md). Both rooms get the same items (this
 * checkout's seeding, through each relay).
 *
 * `npm run bench -- first-render [commit]`
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const LIMITS = { LOG_LEVEL: 'silent', MAX_ATTEMPTS_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_ADDRESS: '10000' };

/** The reference commit checked out, built and served on `port`. */
async function startReference(commit: string, port: number): Promise<{ baseUrl: string; stop(): void }> {
	const dir = mkdtempSync(join(tmpdir(), 'refinery-reference-'));
	const git = (...args: string[]) => {
		const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
	};
	git('worktree', 'add', '--detach', dir, commit);
	// Its lockfile pins the same packages as far as its build needs; this checkout's are used.
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
	const env: NodeJS.ProcessEnv = { ...process.env, ...LIMITS };
	delete env.NODE_ENV;
	delete env.VITEST;
	spawnSync(process.execPath, ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync'], { cwd: dir, env });
	const built = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { cwd: dir, env, encoding: 'utf8' });
	if (built.status !== 0 || !existsSync(join(dir, 'build', 'handler.js'))) throw new Error(`reference build failed: ${built.stderr}`);
	const server = await serve(dir, port, env);
	return {
		baseUrl: server.baseUrl,
		stop() {
			server.stop();
			git('worktree', 'remove', '--force', dir);
		}
	};
}

/**
 * A server process of the checkout at `cwd` on `port` (each side in its own process, so neither
 * shares its event loop with this one, which drives the browser), with a fresh data directory.
 */
async function serve(cwd: string, port: number, env: NodeJS.ProcessEnv): Promise<{ baseUrl: string; stop(): void }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-bench-first-data-'));
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd,
		env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
		stdio: 'ignore'
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		const ok = await fetch(`${baseUrl}/healthz`).then((response) => response.ok, () => false);
		if (ok) break;
		if (Date.now() > deadline) throw new Error(`the server in ${cwd} did not start`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return {
		baseUrl,
		stop() {
			child.kill('SIGTERM');
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** This checkout's server process, serving `buildDir`. */
function serveOurs(buildDir: string, port: number): Promise<{ baseUrl: string; stop(): void }> {
	const env: NodeJS.ProcessEnv = { ...process.env, ...LIMITS, BUILD_DIR: buildDir };
	delete env.NODE_ENV;
	delete env.VITEST;
	return serve(ROOT, port, env);
}

/** One load by a new person (empty IndexedDB, who has seen the home page): ms from navigation to the first row. */
async function load(browser: Browser, baseUrl: string, link: string, run: number): Promise<number> {
	const someone = await newPerson(browser, baseUrl);
	try {
		await someone.page.setViewportSize({ width: 1280, height: 800 });
		await someone.page.goto('/');
		await enterName(someone.page, `Viewer ${run}`);
		await someone.page.goto(link, { waitUntil: 'commit' });
		const shown = await someone.page.waitForFunction(
			() => (document.querySelector('[aria-posinset="1"]')?.getAttribute('aria-setsize') === '2000' ? performance.now() : null),
			undefined,
			{ polling: 'raf', timeout: 30_000 }
		);
		return (await shown.jsonValue()) as number;
	} finally {
		await someone.context.close();
	}
}

export async function main(commit = process.argv[3] ?? 'e6f6729'): Promise<void> {
	console.log(`\n## First render, ours against ${commit} (same run, loads interleaved)`);
	const app = buildApp();
	const port = 20_000 + Math.floor(Math.random() * 20_000);
	const ours = await serveOurs(app.buildDir, port);
	const reference = await startReference(commit, port + 1);
	const browser = await launchBrowser();
	try {
		const sides = [
			{ name: 'ours', baseUrl: ours.baseUrl, times: [] as number[], link: '' },
			{ name: commit, baseUrl: reference.baseUrl, times: [] as number[], link: '' }
		];
		for (const side of sides) {
			side.link = `${side.baseUrl}/r/${newRoomId()}#k=${newRoomId()}`;
			await seedItems(side.baseUrl, side.link, 2000, { name: 'Bench 2000' });
		}
		for (let run = 0; run < RUNS; run++) for (const side of run % 2 ? [...sides].reverse() : sides) side.times.push(await load(browser, side.baseUrl, side.link, run));
		for (const side of sides) console.log(`${side.name}: median ${fmt(median(side.times))} ms (${side.times.map((t) => fmt(t)).join(', ')})`);
		console.log(`ratio ours / ${commit}: ${(median(sides[0].times) / median(sides[1].times)).toFixed(2)} of the medians; ${median(sides[0].times.map((time, i) => time / sides[1].times[i])).toFixed(2)}, the median of each run's pair`);
	} finally {
		await browser.close();
		ours.stop();
		reference.stop();
		app.remove();
	}
}
