import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, announcement, bulkSetStatus, titles } from '../testing/room';
import { seedItems } from '../testing/seed';
import { until } from '../testing/until';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const join = (link: string, name: string) => joinRoom(browser, baseUrl, link, name);

const backlog = (page: Page) => page.getByRole('list', { name: 'Backlog items in priority order' });
/** The row (list item) shown as number `n`. */
const rowAt = (page: Page, n: number) =>
	backlog(page)
		.getByRole('listitem')
		.filter({ has: page.getByRole('textbox', { name: `Title of item ${n}`, exact: true }) });
const statuses = (page: Page) => backlog(page).locator('.status').allTextContents();

describe('the backlog list with two people', () => {
	let alice: Person;
	let bob: Person;

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'List team');
		alice = hosted.person;
		const links = hosted.links;
		bob = await join(links.edit!, 'Bob Baker');
		for (const title of ['a', 'b', 'c', 'd', 'e', 'f']) await addItem(alice.page, title);
		await until(() => titles(bob.page), (shown) => shown.join() === 'a,b,c,d,e,f', { what: 'B sees the six items' });
	});

	afterAll(async () => {
		await alice?.context.close();
		await bob?.context.close();
	});

	test('A and B drag different items at the same moment: same order for both, no duplicates', async () => {
		const drag = (page: Page, title: string, onto: number, y: number) =>
			page.getByTitle(`Drag to reorder “${title}”`).dragTo(rowAt(page, onto), { targetPosition: { x: 300, y } });
		// Alice drops "f" on the top half of "a" (before it); Bob drops "b" on the bottom half of "e" (after it).
		await Promise.all([drag(alice.page, 'f', 1, 8), drag(bob.page, 'b', 5, 36)]);
		// Bob's target row may shift under him as Alice's move arrives: whatever the timing, both end
		// with one order, every item exactly once, and Alice's item on top.
		// Compare both pages on every poll: an expected value read once could be a stale order.
		const same = async () => {
			const [a, b] = await Promise.all([titles(alice.page), titles(bob.page)]);
			return a.join() === b.join();
		};
		await expect.poll(same, { timeout: 10_000 }).toBe(true);
		const order = await titles(alice.page);
		expect([...order].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
		expect(order[0]).toBe('f');
		await expect.poll(() => announcement(alice.page)).toBe('“f” moved to position 1 of 6.');
		expect(alice.errors).toEqual([]);
	});

	test('bulk select with Shift, bulk status, bulk delete, and one undo brings them all back', async () => {
		const page = alice.page;
		const before = await titles(page);
		const picked = before.slice(1, 4);
		const rest = [before[0], ...before.slice(4)];
		await page.getByRole('checkbox', { name: `Select “${before[1]}”` }).check();
		await page.getByRole('checkbox', { name: `Select “${before[3]}”` }).click({ modifiers: ['Shift'] });
		const toolbar = page.getByRole('toolbar', { name: 'Actions for 3 selected items' });
		await expect.poll(() => toolbar.count()).toBe(1);

		await bulkSetStatus(page, 'Ready');
		await expect.poll(() => statuses(bob.page)).toEqual(['New', 'Ready', 'Ready', 'Ready', 'New', 'New']);

		await toolbar.getByRole('textbox', { name: 'Label for selected' }).fill('checkout');
		await toolbar.getByRole('button', { name: 'Add label' }).click();
		await expect.poll(() => backlog(bob.page).locator('.label').count()).toBe(3);

		await toolbar.getByRole('button', { name: 'Move selected to the bottom' }).click();
		await expect.poll(() => titles(bob.page)).toEqual([...rest, ...picked]);

		await toolbar.getByRole('button', { name: 'Delete selected' }).click();
		await expect.poll(() => titles(bob.page)).toEqual(rest);
		await expect.poll(() => announcement(page)).toBe('3 items moved to the trash. Press Ctrl+Z to undo.');

		// One undo step per bulk action: the delete comes back whole, then the move, the label, the status.
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => titles(bob.page)).toEqual([...rest, ...picked]);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => titles(bob.page)).toEqual(before);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => backlog(bob.page).locator('.label').count()).toBe(0);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => statuses(bob.page)).toEqual(['New', 'New', 'New', 'New', 'New', 'New']);
	});

	test('a 5,000-item room renders only a window of rows, and the keyboard reaches the end', async () => {
		await seedItems(baseUrl, alice.page.url(), 5000);
		const page = alice.page;
		await expect.poll(() => page.getByRole('heading', { name: 'Backlog' }).locator('..').textContent(), { timeout: 20_000 }).toContain('5006 items');
		const rendered = await backlog(page).getByRole('listitem').count();
		expect(rendered).toBeGreaterThan(5);
		expect(rendered).toBeLessThan(80);
		expect(await backlog(page).getByRole('listitem').first().getAttribute('aria-setsize')).toBe('5006');

		await page.getByRole('textbox', { name: 'Title of item 1', exact: true }).focus();
		await page.keyboard.press('Control+End');
		const active = () => page.evaluate(() => (document.activeElement as HTMLInputElement).getAttribute('aria-label'));
		await expect.poll(active).toBe('Title of item 5006');
		expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('5006');
		await page.keyboard.press('ArrowUp');
		await expect.poll(active).toBe('Title of item 5005');
		const title = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
		await page.keyboard.press('Alt+ArrowDown');
		await expect.poll(() => announcement(page)).toBe(`“${title}” moved to position 5006 of 5006.`);
		await expect.poll(active).toBe('Title of item 5006');
		// Still a window, and the focused row is in view.
		expect(await backlog(page).getByRole('listitem').count()).toBeLessThan(80);
		expect(await page.evaluate(() => document.activeElement!.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
	});

	test('A follows B: A’s list goes to the item B is on, and one click stops it', async () => {
		await bob.page.getByRole('textbox', { name: 'Title of item 1', exact: true }).focus();
		await bob.page.keyboard.press('Control+End');
		await expect.poll(() => bob.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Title of item 5006');
		await bob.page.keyboard.press('ArrowUp');
		await bob.page.keyboard.press('ArrowUp');
		// Alice is at the top of the list, far from Bob.
		await alice.page.keyboard.press('Control+Home');
		await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Title of item 1');
		await alice.page.getByRole('list', { name: 'People in this room' }).getByRole('button', { name: 'Follow Bob Baker' }).first().click();
		const stop = alice.page.getByRole('button', { name: 'Stop following Bob Baker' });
		await expect.poll(() => stop.count()).toBe(1);
		// Bob's item (5004) is now rendered in Alice's window, with Bob's avatar on it.
		const row = backlog(alice.page).getByRole('listitem').filter({ has: alice.page.getByRole('textbox', { name: 'Title of item 5004', exact: true }) });
		await expect.poll(() => row.getByRole('button', { name: 'Follow Bob Baker' }).count()).toBe(1);
		await bob.page.keyboard.press('Control+Home');
		await expect.poll(() => alice.page.getByRole('textbox', { name: 'Title of item 1', exact: true }).isVisible()).toBe(true);
		await stop.click();
		await expect.poll(() => stop.count()).toBe(0);
	});

	test('axe: no serious or critical violation with a selection and the shortcuts dialog open', async () => {
		const page = alice.page;
		await page.getByRole('checkbox', { name: 'Select all items' }).check();
		await expect.poll(() => page.getByRole('toolbar', { name: 'Actions for 5006 selected items' }).count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);
		await page.getByRole('checkbox', { name: 'Select all items' }).uncheck();
		await page.getByRole('checkbox', { name: /^Select “/ }).first().check();
		await page.getByRole('checkbox', { name: /^Select “/ }).first().focus();
		await page.keyboard.press('?');
		const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
		await expect.poll(() => dialog.isVisible()).toBe(true);
		for (const keys of ['Alt+↑ / Alt+↓', 'Alt+Shift+↑ / Alt+Shift+↓', 'Ctrl+Home / Ctrl+End', '↑ / ↓', 'Ctrl+Z', '?']) {
			expect(await dialog.getByRole('cell', { name: keys, exact: true }).count()).toBe(1);
		}
		expect(await seriousViolations(page)).toEqual([]);
		await page.keyboard.press('Escape');
		await expect.poll(() => dialog.isVisible()).toBe(false);
	});
});
