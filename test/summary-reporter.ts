import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "vitest: N passed, N failed, N skipped", so CI and
 * people can see at a glance how many tests ran (a misconfigured project that skips
 * a whole suite shows up as a smaller N).
 */
export default class SummaryReporter implements Reporter {
	onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
		let passed = 0;
		let failed = 0;
		let skipped = 0;
		for (const module of modules) {
			let failedHere = 0;
			for (const test of module.children.allTests()) {
				const state = test.result().state;
				if (state === 'passed') passed++;
				else if (state === 'failed') failedHere++;
				else skipped++;
			}
			// A file that failed outside its tests (an import error, a beforeAll that timed out, which
			// leaves every test merely skipped) is one failure, never a silent green line.
			if (module.state() === 'failed' && failedHere === 0) failedHere = 1;
			failed += failedHere;
		}
		process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
	}
}
