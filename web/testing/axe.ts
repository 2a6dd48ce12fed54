import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const require = createRequire(import.meta.url);
let source: string | null = null;

/** axe-core's browser bundle, read once per test file. */
function axeSource(): string {
	source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	return source;
}

/** Run axe-core inside the page and return its violations. */
export async function runAxe(page: Page): Promise<Result[]> {
	// Evaluated through the DevTools protocol: the app's CSP refuses an inline <script> (addScriptTag).
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
	const results = (await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run(context: Document): Promise<unknown> } }).axe;
		return axe.run(document);
	})) as AxeResults;
	return results.violations;
}

/** The serious and critical violations, described one a line (empty when there are none). */
export async function seriousViolations(page: Page): Promise<string[]> {
	return (await runAxe(page))
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
