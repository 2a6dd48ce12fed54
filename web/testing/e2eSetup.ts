import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/main';
import { buildApp } from './buildApp';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The running server's origin, such as http://127.0.0.1:41234. */
		baseUrl: string;
		/** The server's DATA_DIR (its SQLite file), for tests that inspect what the relay stored. */
		dataDir: string;
		/** The private build the server serves, for tests that start a server process of their own. */
		buildDir: string;
	}
}

/** Vitest global setup of the e2e project: build once, start the server, provide its URL. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	// Built with `--mode test`, which only adds the `window.__refinery` debug handle that lets a
	// test force a write from a viewer's console; in a folder of its own (web/testing/buildApp.ts).
	const app = buildApp({ mode: 'test' });
	const dataDir = mkdtempSync(join(tmpdir(), 'refinery-e2e-'));
	const config = loadConfig({
		LOG_LEVEL: 'silent',
		// Every browser context connects from 127.0.0.1; the per-address limits are tested in server/.
		MAX_ATTEMPTS_PER_MINUTE: '100000',
		MAX_CONNECTIONS_PER_ADDRESS: '10000'
	});
	const running = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir }, { buildDir: app.buildDir });
	project.provide('baseUrl', `http://127.0.0.1:${running.port}`);
	project.provide('buildDir', app.buildDir);
	project.provide('dataDir', dataDir);
	return async () => {
		await running.close();
		rmSync(dataDir, { recursive: true, force: true });
		app.remove();
	};
}
