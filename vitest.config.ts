import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The aliases SvelteKit gives web/ code, for web/ unit tests that run without SvelteKit. */
const alias = {
	$shared: fileURLToPath(new URL('./shared', import.meta.url)),
	$lib: fileURLToPath(new URL('./web/lib', import.meta.url))
};

/**
 * Unit and integration tests run in Node. Browser tests (`*.e2e.ts`) are their own
 * project: they build the app and drive Debian's Chromium through playwright-core.
 */
export default defineConfig({
	test: {
		reporters: ['default', './test/summary-reporter.ts'],
		projects: [
			{
				resolve: { alias },
				test: {
					name: 'unit',
					include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					// Suites start real relay, Redis and proxy processes: slow on a loaded 2-core machine.
					hookTimeout: 60_000
				}
			},
			{
				test: {
					name: 'e2e',
					include: ['web/**/*.e2e.ts', 'deploy/**/*.e2e.ts'],
					environment: 'node',
					// Builds the app once and starts the real server (web/testing/e2eSetup.ts).
					globalSetup: ['web/testing/e2eSetup.ts'],
					// One file at a time: each drives several Chromium contexts against one server.
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
