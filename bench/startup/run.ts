import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../server/build';
import { freePort } from '../../server/testing/serverProcess';
import { buildApp } from '../../web/testing/buildApp';
import { fmt, median } from '../stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS ?? 9);

/** Milliseconds from spawn to the server's "listening" log line, and its RSS then. */
function startOnce(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number }> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
		let output = '';
		child.stdout.on('data', (chunk) => {
			output += chunk;
			if (!output.includes('"listening"')) return;
			const ms = performance.now() - started;
			child.stdout.removeAllListeners('data');
			const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
			const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			child.once('exit', () => resolve({ ms, rssMb: rssKb / 1024 }));
			child.kill('SIGTERM');
		});
		child.once('error', reject);
	});
}

/**
 * `npm run bench -- startup`: start-up to listening of the compiled server (`node
 * build/server/main.js`, what `npm start` runs) against the same server through tsx (what it
 * ran before), alternating, with the app built and served, and bare `node -e ""` as the floor.
 */
export async function main(): Promise<void> {
	const app = buildApp();
	const out = mkdtempSync(join(ROOT, '.tmp', 'startup-'));
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-startup-'));
	try {
		await buildServer(join(out, 'server'));
		const env = (port: number): NodeJS.ProcessEnv => ({ ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', BUILD_DIR: app.buildDir });
		const variants: [string, string[]][] = [
			['compiled (node build/server/main.js)', [join(out, 'server/main.js')]],
			['tsx (node --import tsx server/main.ts)', ['--import', 'tsx', 'server/main.ts']]
		];
		const results = new Map<string, { ms: number[]; rss: number[] }>(variants.map(([name]) => [name, { ms: [], rss: [] }]));
		const floor: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			for (const [name, args] of variants) {
				const { ms, rssMb } = await startOnce(args, env(await freePort()));
				results.get(name)!.ms.push(ms);
				results.get(name)!.rss.push(rssMb);
			}
			const t = performance.now();
			await new Promise((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', resolve));
			floor.push(performance.now() - t);
		}
		console.log(`\n## Start-up to listening (${RUNS} alternating runs each, medians; app built and served)\n`);
		console.log('| server | start-up to listening | RSS at listening |');
		console.log('| --- | ---: | ---: |');
		for (const [name, { ms, rss }] of results) console.log(`| ${name} | ${fmt(median(ms), 0)} ms | ${fmt(median(rss), 0)} MB |`);
		console.log(`| bare \`node -e ""\` (floor) | ${fmt(median(floor), 0)} ms | |`);
	} finally {
		rmSync(out, { recursive: true, force: true });
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	}
}
