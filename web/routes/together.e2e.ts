import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchBrowser, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, titles } from '../testing/room';
import { until } from '../testing/until';

// B's typing into a description A is typing in is covered in detail.e2e.ts ("both type in the same
// description at once"); this file is everything else two people do to one backlog at once.

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const backlog = (page: Page) => page.getByRole('list', { name: 'Backlog items in priority order' });
/** The row of the item whose title starts with `title`: found by its Open button, since numbers shift while the other person moves rows. */
const rowOf = (page: Page, title: string) =>
	backlog(page)
		.getByRole('listitem')
		.filter({ has: page.getByRole('button', { name: new RegExp(`^Open “${title}`) }) });
const titleOf = (page: Page, title: string) => rowOf(page, title).getByRole('textbox', { name: /^Title of item / });

describe('two people change one backlog at the same time', () => {
	let alice: Person;
	let bob: Person;

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Together');
		alice = hosted.person;
		const links = hosted.links;
		for (const title of ['Login', 'Search', 'Checkout', 'Profile', 'Wishlist']) await addItem(alice.page, title);
		bob = await joinRoom(browser, baseUrl, links.edit!, 'Bob Baker');
		await until(() => titles(bob.page), (shown) => shown.length === 5, { what: 'B sees the five items' });
	});

	afterAll(async () => {
		await alice?.context.close();
		await bob?.context.close();
	});

	test('both add, edit, reorder and split at once and end with one backlog in one order', async () => {
		/** A adds an item, renames one, splits "Checkout" into two children and moves "Wishlist" up from the keyboard. */
		async function aliceWorks(page: Page) {
			await addItem(page, 'Alice’s idea');
			await titleOf(page, 'Login').fill('Login with SSO');
			await page.getByRole('button', { name: 'Open “Checkout”' }).click();
			const pane = page.getByRole('complementary');
			await pane.getByRole('button', { name: 'Split…' }).click();
			const dialog = page.getByRole('dialog', { name: 'Split “Checkout”' });
			await dialog.getByRole('textbox', { name: 'Title of child 1' }).fill('Cart');
			await dialog.getByRole('textbox', { name: 'Title of child 2' }).fill('Payment');
			await dialog.getByRole('button', { name: 'Split', exact: true }).click();
			await titleOf(page, 'Wishlist').click();
			await page.keyboard.press('Alt+ArrowUp');
		}
		/** B drags "Search" to the top, moves "Profile" to the top from the keyboard, renames one and adds one. */
		async function bobWorks(page: Page) {
			await page.getByTitle('Drag to reorder “Search”').dragTo(rowOf(page, 'Login'), { targetPosition: { x: 300, y: 8 } });
			await titleOf(page, 'Profile').click();
			await page.keyboard.press('Alt+Shift+ArrowUp');
			await titleOf(page, 'Search').fill('Search by tag');
			await addItem(page, 'Bob’s idea');
		}
		await Promise.all([aliceWorks(alice.page), bobWorks(bob.page)]);

		// Wait until both show the same rows, then compare them.
		const expected = ['Alice’s idea', 'Bob’s idea', 'Cart', 'Checkout', 'Login with SSO', 'Payment', 'Profile', 'Search by tag', 'Wishlist'];
		const settled = (shown: string[]) => [...shown].sort().join('|') === [...expected].sort().join('|');
		await until(() => titles(alice.page), settled, { what: 'A sees every change' });
		await until(() => titles(bob.page), settled, { what: 'B sees every change' });
		// Compare both pages on every poll: an expected value read once could be a stale order.
		const same = async () => {
			const [a, b] = await Promise.all([titles(alice.page), titles(bob.page)]);
			return a.join('|') === b.join('|');
		};
		await expect.poll(same, { timeout: 10_000 }).toBe(true);
		const order = await titles(alice.page);
		expect(await titles(bob.page)).toEqual(order);
		// Every item exactly once.
		expect(new Set(order).size).toBe(order.length);

		// The children sit right under their parent, in the order they were split, for both.
		const at = order.indexOf('Checkout');
		expect(order.slice(at + 1, at + 3)).toEqual(['Cart', 'Payment']);
		for (const { page } of [alice, bob]) {
			expect(await rowOf(page, 'Checkout').getByText('2 children').count()).toBe(1);
			expect(await page.getByRole('button', { name: 'Children of “Checkout”' }).getAttribute('aria-expanded')).toBe('true');
		}
		// Each person's own moves held: B's "Profile" went to the top after A's moves and B's drag landed.
		expect(order[0]).toBe('Profile');
		expect(alice.errors).toEqual([]);
		expect(bob.errors).toEqual([]);
	});
});

describe('typing while someone else moves the item', () => {
	test('A keeps typing in a title while B moves that item to the bottom: focus and every character stay', async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Moving while typing');
		const alice = hosted.person;
		for (const title of ['Login', 'Search', 'Checkout']) await addItem(alice.page, title);
		const bob = await joinRoom(browser, baseUrl, hosted.links.edit!, 'Bob Baker');
		try {
			await until(() => titles(bob.page), (shown) => shown.length === 3, { what: 'B sees the three items' });
			await titleOf(alice.page, 'Login').click();
			await alice.page.keyboard.press('End');
			await alice.page.keyboard.type(' with');
			// B moves the very row A is typing in; its node moves in A's page too.
			await titleOf(bob.page, 'Login').click();
			await bob.page.keyboard.press('Alt+Shift+ArrowDown');
			await until(() => titles(alice.page), (shown) => shown[2]?.startsWith('Login') ?? false, { what: 'A sees the item at the bottom' });
			await alice.page.keyboard.type(' SSO');
			await until(() => titles(bob.page), (shown) => shown[2] === 'Login with SSO', { what: 'B sees every character A typed' });
			expect(await titles(alice.page)).toEqual(['Search', 'Checkout', 'Login with SSO']);
			expect(alice.errors).toEqual([]);
		} finally {
			await alice.context.close();
			await bob.context.close();
		}
	});
});
