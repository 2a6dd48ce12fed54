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

/**
 * Run axe-core inside the page and return its violations: on the whole document, or only inside
 * `within` (a CSS selector, such as an open dialog: far quicker than the whole room each time).
 */
export async function runAxe(page: Page, within?: string): Promise<Result[]> {
	// Evaluated through the DevTools protocol: the app's CSP refuses an inline <script> (addScriptTag).
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
	const results = (await page.evaluate(async (within) => {
		const axe = (window as unknown as { axe: { run(context: unknown): Promise<unknown> } }).axe;
		return axe.run(within ? { include: [within] } : document);
	}, within)) as AxeResults;
	return results.violations;
}

/** Violations described one a line. */
function describe(violations: Result[]): string[] {
	return violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** The serious and critical violations, described one a line (empty when there are none). */
export async function seriousViolations(page: Page, within?: string): Promise<string[]> {
	return describe((await runAxe(page, within)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'));
}

/** Every violation, minor ones too, described one a line (empty when there are none). */
export async function allViolations(page: Page, within?: string): Promise<string[]> {
	return describe(await runAxe(page, within));
}
