import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
	export interface ProvidedContext {
		/** The running server's origin, such as http://127.0.0.1:41234. */
		baseUrl: string;
	}
}

/**
 * Browser tests run against the built app served by the real server, as in production.
 * The build uses `--mode test`, which only adds the `window.__refinery` debug handle that lets a
 * test force a write from a viewer's console. NODE_ENV and VITEST are dropped so the build is
 * not mistaken for a test run of vite itself.
 */
function build(): void {
	const env = { ...process.env };
	delete env.NODE_ENV;
	delete env.VITEST;
	delete env.VITEST_MODE;
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'test', '--logLevel', 'warn'], {
		cwd: ROOT,
		env,
		encoding: 'utf8'
	});
	if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Vitest global setup of the e2e project: build once, start the server, provide its URL. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	build();
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-e2e-'));
	const config = loadConfig({
		LOG_LEVEL: 'silent',
		// Every browser context connects from 127.0.0.1; the per-address limits are tested in server/.
		MAX_ATTEMPTS_PER_MINUTE: '100000',
		MAX_CONNECTIONS_PER_ADDRESS: '10000'
	});
	const running = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir });
	project.provide('baseUrl', `http://127.0.0.1:${running.port}`);
	return async () => {
		await running.close();
		rmSync(dataDir, { recursive: true, force: true });
	};
}
