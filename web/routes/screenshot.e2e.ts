import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { meetingTitle } from '../testing/meetingRoom';
import { addItem, bulkSetStatus, createRoom, enterName, rowAction, shareLinks, waitSynced } from '../testing/room';

const baseUrl = inject('baseUrl');
// Tests must not rewrite tracked files: the docs' pictures are refreshed only on request
// (UPDATE_SCREENSHOT=1 npx vitest run --project e2e web/routes/screenshot.e2e.ts).
const FOLDER = process.env.UPDATE_SCREENSHOT ? fileURLToPath(new URL('../../docs/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'refinery-screenshot-'));
/** The pictures README and docs/WEB.md show. */
const PICTURES = {
	main: 'screenshot-room.png',
	phone: 'screenshot-room-390.png',
	panel: 'screenshot-room-1280-panel.png',
	dark: 'screenshot-room-dark.png'
};
let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	for (const person of people) await person.context.close();
	await browser?.close();
});

async function someone(name: string, link = '/'): Promise<Person> {
	const person = await newPerson(browser, baseUrl);
	people.push(person);
	await person.page.setViewportSize({ width: 1920, height: 1080 });
	await person.page.goto(link);
	await enterName(person.page, name);
	return person;
}

async function shoot(page: Page, name: string) {
	await page.mouse.move(0, 0);
	await page.waitForTimeout(150);
	const path = join(FOLDER, name);
	await page.screenshot({ path });
	expect(existsSync(path)).toBe(true);
}

test('a meeting room with three people and a round of poker, for README and docs/WEB.md (docs/screenshot-room*.png)', async () => {
	const alice = await someone('Alice Archer');
	await createRoom(alice.page, 'Checkout team · sprint 14 refinement');
	const { edit } = await shareLinks(alice.page);
	const titles = [
		'As a shopper I want to pay by card so that I can check out quickly',
		'As a guest I want to check out without an account, with my e-mail address only',
		'Saved delivery addresses',
		'Order confirmation e-mail shows the wrong VAT rate for Austria',
		'Spike: which payment provider supports 3-D Secure 2 and Apple Pay?',
		'As a shopper I want to see my order history with the state of each delivery',
		'Apply a discount code at checkout',
		'Show delivery dates before payment',
		meetingTitle(9, 72),
		'Accessibility review of the checkout pages'
	];
	for (const title of titles) await addItem(alice.page, title);
	const page = alice.page;
	const pick = async (n: number) => page.getByRole('checkbox', { name: `Select “${titles[n]}”` }).check();
	const bulk = async (status: string | null, label: string | null) => {
		if (status) await bulkSetStatus(page, status);
		if (label) {
			await page.getByRole('textbox', { name: 'Label for selected' }).fill(label);
			await page.getByRole('button', { name: 'Add label' }).click();
		}
		await page.getByRole('button', { name: 'Clear selection' }).click();
	};
	await pick(0);
	await pick(1);
	await pick(4);
	await bulk('Ready', 'payments');
	await pick(0);
	await bulk(null, 'mobile');
	await pick(0);
	await bulk(null, 'checkout');
	await pick(3);
	await pick(5);
	await bulk('Needs refinement', 'backend');

	const bob = await someone('Bob Baker', edit!);
	const carol = await someone('Carol Chen', edit!);
	await Promise.all([waitSynced(bob.page), waitSynced(carol.page)]);

	// 1280 with the panel open, and the phone, before any round.
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.getByRole('button', { name: `Open “${titles[0]}”` }).click();
	await expect.poll(() => page.getByRole('complementary').getByRole('textbox', { name: 'Title', exact: true }).inputValue()).toBe(titles[0]);
	await shoot(page, PICTURES.panel);
	await page.getByRole('button', { name: 'Close details' }).click();
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('button', { name: 'Room actions' }).waitFor();
	await page.getByRole('heading', { name: 'Backlog' }).scrollIntoViewIfNeeded();
	await shoot(page, PICTURES.phone);

	// The big screen: a round on the first item, two of three cards in, two people on items.
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.getByRole('button', { name: 'Room actions' }).waitFor({ state: 'detached' });
	await page.evaluate(() => window.scrollTo(0, 0));
	await rowAction(page, titles[0], 'Estimate with planning poker');
	for (const [person, card] of [
		[bob, '5'],
		[carol, '8']
	] as const) {
		const table = person.page.getByRole('region', { name: 'Planning poker' });
		await table.getByRole('group', { name: 'Your card' }).getByRole('button', { name: card, exact: true }).click();
		await expect.poll(() => table.textContent()).toContain(`You voted ${card}.`);
	}
	await expect.poll(() => page.getByTestId('voted-count').textContent()).toBe('2 of 3 have voted');
	await bob.page.getByRole('textbox', { name: 'Title of item 2', exact: true }).click();
	await carol.page.getByRole('textbox', { name: 'Title of item 5', exact: true }).click();
	await expect.poll(() => page.getByRole('button', { name: /^Follow / }).count()).toBe(4);
	await shoot(page, PICTURES.main);
	await page.emulateMedia({ colorScheme: 'dark' });
	await shoot(page, PICTURES.dark);
	await page.emulateMedia({ colorScheme: 'light' });
	expect(alice.errors).toEqual([]);
}, 180_000);
