import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A private build of the app; `remove` deletes it. */
export interface AppBuild {
	/** The adapter-node output, for `startServer(config, { buildDir })`. */
	buildDir: string;
	remove(): void;
}

/**
 * Build the app into its own folder under `.tmp/`, so that browser tests and benchmarks running
 * at the same time never overwrite each other's build or the `build/` that `npm start` serves.
 * `mode: 'test'` adds the `window.__refinery` debug handle (see the `__refinery` handle in web/lib/components/room/Room.svelte).
 * NODE_ENV and VITEST are dropped so the build is not mistaken for a test run of vite itself.
 * `minify: false` keeps function names readable in CPU profiles (bench/web/profile.ts).
 */
export function buildApp(options: { mode?: 'production' | 'test'; minify?: boolean } = {}): AppBuild {
	const base = join(ROOT, '.tmp', `build-${process.pid}-${Date.now().toString(36)}`);
	mkdirSync(base, { recursive: true });
	const env: NodeJS.ProcessEnv = { ...process.env, REFINERY_BUILD_DIR: join(base, 'app'), REFINERY_KIT_DIR: join(base, 'kit') };
	delete env.NODE_ENV;
	delete env.VITEST;
	delete env.VITEST_MODE;
	const args = ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'];
	if (options.mode === 'test') args.push('--mode', 'test');
	if (options.minify === false) args.push('--minify', 'false');
	const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
	if (result.status !== 0) {
		rmSync(base, { recursive: true, force: true });
		throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
	}
	return { buildDir: join(base, 'app'), remove: () => rmSync(base, { recursive: true, force: true }) };
}
