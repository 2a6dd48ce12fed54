import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Start a headless Chromium for one test file. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** One person: their own browser context (storage, IndexedDB, clipboard) and one page. */
export interface Person {
	context: BrowserContext;
	page: Page;
	/** Uncaught errors of the page, for a test to assert there were none. */
	errors: string[];
}

/**
 * A new person with a fresh profile. Console errors are collected so a test can assert the
 * page stayed healthy.
 * @example const alice = await newPerson(browser, baseUrl)
 */
export async function newPerson(browser: Browser, baseUrl: string): Promise<Person> {
	const context = await browser.newContext({ baseURL: baseUrl, colorScheme: 'light' });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(String(error)));
	return { context, page, errors };
}
