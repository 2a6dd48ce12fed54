import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests run in Node. Browser tests (`*.e2e.ts`) are their own
 * project: they build the app and drive Debian's Chromium through playwright-core.
 */
export default defineConfig({
	test: {
		reporters: ['default', './test/summary-reporter.ts'],
		projects: [
			{
				test: {
					name: 'unit',
					include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000
				}
			}
		]
	}
});
