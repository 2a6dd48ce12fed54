import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, newPerson } from '../testing/browser';
import { createRoom, enterName } from '../testing/room';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

test('the home page has a heading and no serious accessibility violation', async () => {
	const { page, context } = await newPerson(browser, baseUrl);
	await page.goto('/');
	await expect.poll(() => page.getByRole('heading', { name: 'Refinery' }).count()).toBe(1);
	expect(await seriousViolations(page)).toEqual([]);
	await context.close();
});

test('a first visit asks for a name, and the welcome form passes axe too', async () => {
	const { page, context } = await newPerson(browser, baseUrl);
	await page.goto('/');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect.poll(() => page.getByRole('textbox', { name: 'Your name' }).getAttribute('aria-invalid')).toBe('true');
	expect(await seriousViolations(page)).toEqual([]);
	await enterName(page, 'Grace Hopper');
	await expect.poll(() => page.getByRole('heading', { name: 'Start a room' }).count()).toBe(1);
	// Kept on the device: a reload does not ask again.
	await page.reload();
	await expect.poll(() => page.getByRole('heading', { name: 'Start a room' }).count()).toBe(1);
	await context.close();
});

test('a malformed link gets a clear error; a good one opens the room', async () => {
	const { page, context } = await newPerson(browser, baseUrl);
	await page.goto('/');
	await enterName(page, 'Joan Clarke');
	await page.getByRole('textbox', { name: 'Room link' }).fill('https://example.com/r/nope#k=123');
	await page.getByRole('button', { name: 'Join room' }).click();
	await expect.poll(() => page.getByRole('alert').textContent()).toContain('is not a Refinery room link');
	expect(await seriousViolations(page)).toEqual([]);

	await createRoom(page, 'Planning');
	const roomUrl = page.url();
	await page.goto('/');
	const recent = page.getByRole('link', { name: 'Planning' });
	await expect.poll(() => recent.count()).toBe(1);
	await page.getByRole('textbox', { name: 'Room link' }).fill(roomUrl);
	await page.getByRole('button', { name: 'Join room' }).click();
	await page.waitForURL(roomUrl);
	await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Planning');
	await context.close();
});

test('a link whose key does not open the room says so', async () => {
	const { page, context } = await newPerson(browser, baseUrl);
	await page.goto('/');
	await enterName(page, 'Ada Lovelace');
	await createRoom(page, 'Locked');
	const roomId = new URL(page.url()).pathname.split('/')[2];
	await page.goto(`/r/${roomId}#k=${'A'.repeat(21)}Q`);
	await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('does not open this room');
	await context.close();
});

test('a room link or print link without its key says so and leads back home', async () => {
	const { page, context } = await newPerson(browser, baseUrl);
	await enterNameOnce(page);
	for (const path of ['/r/AAAAAAAAAAAAAAAAAAAAAA', '/r/AAAAAAAAAAAAAAAAAAAAAA/print#k=short']) {
		await page.goto(path);
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('This link has no key, or a damaged one');
		expect(await page.getByRole('link', { name: 'Back to the start page' }).count()).toBe(1);
	}
	await context.close();
});

/** Past the welcome form, so the pages under test are the ones shown. */
async function enterNameOnce(page: import('playwright-core').Page): Promise<void> {
	await page.goto('/');
	await enterName(page, 'Ada Lovelace');
}
