import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { addItem, bulkSetStatus, createRoom, enterName, shareLinks, waitSynced } from '../testing/room';

const baseUrl = inject('baseUrl');
// Tests must not rewrite tracked files: the README's copy is refreshed only on request
// (UPDATE_SCREENSHOT=1 npm run test:e2e -- web/routes/screenshot.e2e.ts).
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
	? fileURLToPath(new URL('../../docs/screenshot-room.png', import.meta.url))
	: join(mkdtempSync(join(tmpdir(), 'refinery-screenshot-')), 'room.png');
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
	await person.page.setViewportSize({ width: 1280, height: 800 });
	await person.page.goto(link);
	await enterName(person.page, name);
	return person;
}

test('a room with three people present, for the README (docs/screenshot-room.png)', async () => {
	const alice = await someone('Alice Archer');
	await createRoom(alice.page, 'Checkout team · sprint 14 refinement');
	const { edit } = await shareLinks(alice.page);
	const titles = [
		'As a shopper I want to pay by card so that I can check out quickly',
		'As a guest I want to check out without an account',
		'Saved delivery addresses',
		'Order confirmation e-mail shows the wrong VAT',
		'Spike: which payment provider supports 3-D Secure 2?',
		'As a shopper I want to see my order history',
		'Apply a discount code at checkout'
	];
	for (const title of titles) await addItem(alice.page, title);
	const page = alice.page;
	const pick = async (n: number) => page.getByRole('checkbox', { name: `Select “${titles[n]}”` }).check();
	await pick(0);
	await pick(1);
	await bulkSetStatus(page, 'Ready');
	await page.getByRole('textbox', { name: 'Label for selected' }).fill('payments');
	await page.getByRole('button', { name: 'Add label' }).click();
	await page.getByRole('button', { name: 'Clear selection' }).click();
	await pick(3);
	await bulkSetStatus(page, 'Needs refinement');
	await page.getByRole('button', { name: 'Clear selection' }).click();

	const bob = await someone('Bob Baker', edit!);
	const carol = await someone('Carol Chen', edit!);
	await Promise.all([waitSynced(bob.page), waitSynced(carol.page)]);
	await bob.page.getByRole('textbox', { name: 'Title of item 2', exact: true }).click();
	await carol.page.getByRole('textbox', { name: 'Title of item 5', exact: true }).click();
	await expect.poll(() => page.getByRole('button', { name: /^Follow / }).count()).toBe(4);
	await page.getByRole('checkbox', { name: `Select “${titles[5]}”` }).check();
	await page.getByRole('checkbox', { name: `Select “${titles[6]}”` }).check();
	await page.mouse.move(0, 0);
	await page.screenshot({ path: SCREENSHOT });
	expect(existsSync(SCREENSHOT)).toBe(true);
	expect(alice.errors).toEqual([]);
});
