import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, enterName, rowAction, titles, waitSynced } from '../testing/room';
import { until } from '../testing/until';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Open an item's detail pane from its row, and return the pane. */
async function openItem(page: Page, title: string) {
	await page.getByRole('button', { name: `Open “${title}”` }).click();
	const pane = page.getByRole('complementary');
	await expect.poll(() => pane.getByRole('heading', { level: 2 }).textContent()).toBe(title);
	return pane;
}

function pane(page: Page) {
	return page.getByRole('complementary');
}

describe('the detail pane, split, find and trash with two people', () => {
	let alice: Person;
	let bob: Person;
	let viewLink: string;

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Payments refinement');
		alice = hosted.person;
		const links = hosted.links;
		viewLink = links.view;
		for (const title of ['Pay by card', 'Guest checkout', 'Saved addresses']) await addItem(alice.page, title);
		bob = await joinRoom(browser, baseUrl, links.edit!, 'Bob Baker');
		await until(() => titles(bob.page), (shown) => shown.length === 3, { what: 'B sees the three items' });
	});

	afterAll(async () => {
		expect(alice?.errors).toEqual([]);
		expect(bob?.errors).toEqual([]);
		await alice?.context.close();
		await bob?.context.close();
	});

	test('both type in the same description at once: the texts merge and B’s caret stays put', async () => {
		const [a, b] = [await openItem(alice.page, 'Pay by card'), await openItem(bob.page, 'Pay by card')];
		const aliceText = a.getByRole('textbox', { name: 'Description', exact: true });
		const bobText = b.getByRole('textbox', { name: 'Description', exact: true });
		await aliceText.fill('Cards only.');
		await expect.poll(() => bobText.inputValue()).toBe('Cards only.');

		await aliceText.click();
		await aliceText.press('End');
		// B sees who else is in the field.
		await expect.poll(() => b.getByText('Alice Archer is editing').count()).toBe(1);
		await bobText.click();
		await bobText.press('Control+Home');
		await Promise.all([aliceText.pressSequentially(' Visa and Mastercard.', { delay: 15 }), bobText.pressSequentially('Scope: ', { delay: 15 })]);

		const expected = 'Scope: Cards only. Visa and Mastercard.';
		await expect.poll(() => aliceText.inputValue()).toBe(expected);
		await expect.poll(() => bobText.inputValue()).toBe(expected);
		expect(await bobText.evaluate((field: HTMLTextAreaElement) => field.selectionStart)).toBe('Scope: '.length);
	});

	test('A adds, ticks and reorders acceptance criteria and B sees them', async () => {
		const a = pane(alice.page);
		const b = pane(bob.page);
		for (const criterion of ['Shows the card brand', 'Rejects expired cards']) {
			await a.getByRole('textbox', { name: 'New acceptance criterion' }).fill(criterion);
			await a.getByRole('button', { name: 'Add criterion' }).click();
		}
		await expect.poll(() => b.getByRole('textbox', { name: 'Acceptance criterion 2' }).inputValue()).toBe('Rejects expired cards');
		await a.getByRole('checkbox', { name: 'Criterion 2 is met' }).check();
		await expect.poll(() => b.getByRole('checkbox', { name: 'Criterion 2 is met' }).isChecked()).toBe(true);

		await a.getByRole('button', { name: 'Move criterion 2 up' }).click();
		await expect.poll(() => b.getByRole('textbox', { name: 'Acceptance criterion 1' }).inputValue()).toBe('Rejects expired cards');
		expect(await b.getByRole('checkbox', { name: 'Criterion 1 is met' }).isChecked()).toBe(true);
		// Focus stays on the moved criterion's button, now the first one's.
		expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move criterion 1 up');

		// B edits a criterion's text in place; A sees it.
		const bobCriterion = b.getByRole('textbox', { name: 'Acceptance criterion 2' });
		await bobCriterion.click();
		await bobCriterion.press('End');
		await bobCriterion.pressSequentially(' and logo');
		await expect.poll(() => a.getByRole('textbox', { name: 'Acceptance criterion 2' }).inputValue()).toBe('Shows the card brand and logo');

		// The Definition of Ready, kind, status and labels reach B too.
		await a.getByRole('checkbox', { name: 'Acceptance criteria are written' }).check();
		await a.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Task' });
		// B sees who is in the kind and status selects, beside the one A is in.
		for (const name of ['Kind', 'Status']) {
			await a.getByRole('combobox', { name }).focus();
			const field = b.getByRole('combobox', { name }).locator('xpath=..');
			await expect.poll(() => field.getByText('Alice Archer is editing').count()).toBe(1);
		}
		await a.getByRole('textbox', { name: 'New label' }).fill('payments');
		await expect.poll(() => b.getByText('Alice Archer is editing').count()).toBe(1);
		await a.getByRole('button', { name: 'Add label' }).click();
		await expect.poll(() => b.getByRole('checkbox', { name: 'Acceptance criteria are written' }).isChecked()).toBe(true);
		await expect.poll(() => b.getByRole('combobox', { name: 'Kind' }).inputValue()).toBe('task');
		await expect.poll(() => b.getByRole('button', { name: 'Remove label “payments”' }).count()).toBe(1);
		expect(await b.getByText('1 of 5 checks met').count()).toBe(1);
	});

	test('A sets an estimate, B edits the description: both see it is out of date; confirming clears it', async () => {
		const a = pane(alice.page);
		const b = pane(bob.page);
		await a.getByRole('combobox', { name: 'Estimate' }).selectOption('5');
		await expect.poll(() => b.getByRole('combobox', { name: 'Estimate' }).inputValue()).toBe('5');
		expect(await b.getByText('Out of date', { exact: true }).count()).toBe(0);

		const bobText = b.getByRole('textbox', { name: 'Description', exact: true });
		await bobText.click();
		await bobText.press('Control+End');
		await bobText.pressSequentially(' Amex later.');
		for (const p of [a, b]) await expect.poll(() => p.getByText('Out of date', { exact: true }).count()).toBe(1);
		await expect.poll(() => alice.page.getByText('5, out of date').count()).toBe(1);

		await a.getByRole('button', { name: 'Estimate still holds' }).click();
		for (const p of [a, b]) await expect.poll(() => p.getByText('Out of date', { exact: true }).count()).toBe(0);
	});

	test('dependencies: a link is added and shown to B; a link that would close a cycle is refused', async () => {
		const a = await openItem(alice.page, 'Guest checkout');
		await a.getByRole('combobox', { name: 'Item that blocks this one' }).selectOption({ label: '3 Saved addresses' });
		await a.getByRole('button', { name: 'Add blocker' }).click();
		const b = await openItem(bob.page, 'Guest checkout');
		await expect.poll(() => b.getByRole('button', { name: 'Remove blocker “Saved addresses”' }).count()).toBe(1);

		const back = await openItem(alice.page, 'Saved addresses');
		await back.getByRole('combobox', { name: 'Item that blocks this one' }).selectOption({ label: '2 Guest checkout' });
		await back.getByRole('button', { name: 'Add blocker' }).click();
		await expect.poll(() => back.getByRole('alert').textContent()).toBe(
			'That link was refused: “Guest checkout” → “Saved addresses” already form a chain, each blocked by the next, so “Saved addresses” cannot also be blocked by “Guest checkout”.'
		);
		expect(await back.getByText('Not blocked by anything.').count()).toBe(1);
	});

	test('A splits an item moving a criterion to a child: both see the children under it, and collapse works', async () => {
		const a = await openItem(alice.page, 'Pay by card');
		await a.getByRole('button', { name: 'Split…' }).click();
		const dialog = alice.page.getByRole('dialog', { name: 'Split “Pay by card”' });
		await dialog.getByRole('textbox', { name: 'Title of child 1' }).fill('Card form');
		await dialog.getByRole('textbox', { name: 'Title of child 2' }).fill('Card brand detection');
		await dialog.getByRole('combobox', { name: 'Where “Shows the card brand and logo” goes' }).selectOption({ label: 'Child 2: Card brand detection' });
		expect(await seriousViolations(alice.page)).toEqual([]);
		await dialog.getByRole('button', { name: 'Split', exact: true }).click();

		const expected = ['Pay by card', 'Card form', 'Card brand detection', 'Guest checkout', 'Saved addresses'];
		for (const { page } of [alice, bob]) await expect.poll(() => titles(page)).toEqual(expected);
		// The criterion moved: the parent keeps one, the child has it.
		await expect.poll(() => a.getByRole('textbox', { name: /^Acceptance criterion \d$/ }).count()).toBe(1);
		expect(await a.getByRole('button', { name: 'Open “Card brand detection”' }).count()).toBe(1);
		const child = await openItem(bob.page, 'Card brand detection');
		expect(await child.getByRole('textbox', { name: 'Acceptance criterion 1' }).inputValue()).toBe('Shows the card brand and logo');

		const toggle = bob.page.getByRole('button', { name: 'Children of “Pay by card”' });
		expect(await toggle.getAttribute('aria-expanded')).toBe('true');
		await toggle.click();
		await until(() => titles(bob.page), (shown) => shown.length === 3, { what: 'B sees the three items' });
		expect(await toggle.getAttribute('aria-expanded')).toBe('false');
		// Collapsing is B's own view: A still sees the children.
		expect(await titles(alice.page)).toEqual(expected);
		await toggle.click();
		await expect.poll(() => titles(bob.page)).toEqual(expected);
	});

	test('find narrows the list by text, status and label; a matching child shows its parent', async () => {
		const search = alice.page.getByRole('searchbox', { name: 'Search' });
		await search.fill('GUEST');
		await expect.poll(() => titles(alice.page)).toEqual(['Guest checkout']);
		expect(await alice.page.getByRole('search').getByRole('status').textContent()).toBe('Showing 1 of 5 items');
		// Description text counts, and a matching child brings its parent for context.
		await search.fill('amex');
		await expect.poll(() => titles(alice.page)).toEqual(['Pay by card', 'Card form', 'Card brand detection']);
		await search.fill('brand');
		await expect.poll(() => titles(alice.page)).toEqual(['Pay by card', 'Card brand detection']);
		await alice.page.getByRole('button', { name: 'Clear filter' }).click();
		await expect.poll(async () => (await titles(alice.page)).length).toBe(5);

		const b = await openItem(bob.page, 'Saved addresses');
		await b.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Ready' });
		await alice.page.getByRole('combobox', { name: 'Status' }).first().selectOption({ label: 'Ready' });
		await expect.poll(() => titles(alice.page)).toEqual(['Saved addresses']);
		await alice.page.getByRole('button', { name: 'Clear filter' }).click();
		await alice.page.getByRole('combobox', { name: 'Label' }).selectOption('payments');
		await expect.poll(() => titles(alice.page)).toEqual(['Pay by card', 'Card form', 'Card brand detection']);
		await alice.page.getByRole('button', { name: 'Clear filter' }).click();
		await expect.poll(async () => (await titles(alice.page)).length).toBe(5);
	});

	test('A deletes an item, B restores it from the trash, both see it back', async () => {
		await rowAction(alice.page, 'Guest checkout', 'Delete');
		for (const { page } of [alice, bob]) await expect.poll(async () => (await titles(page)).includes('Guest checkout')).toBe(false);

		await bob.page.getByRole('button', { name: 'Trash', exact: true }).click();
		const trash = bob.page.getByRole('dialog', { name: 'Trash' });
		await trash.getByRole('button', { name: 'Restore “Guest checkout”' }).click();
		await expect.poll(() => trash.getByText('The trash is empty.').count()).toBe(1);
		await trash.getByRole('button', { name: 'Close' }).click();
		for (const { page } of [alice, bob]) await expect.poll(async () => (await titles(page)).includes('Guest checkout')).toBe(true);
		expect((await titles(alice.page)).indexOf('Guest checkout')).toBe(3);
	});

	test('from the keyboard alone: open an item, tick a check, close with Escape back to the row', async () => {
		const { page } = bob;
		await page.getByRole('button', { name: 'Open “Guest checkout”' }).focus();
		await page.keyboard.press('Enter');
		const heading = pane(page).getByRole('heading', { level: 2 });
		await expect.poll(() => heading.textContent()).toBe('Guest checkout');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Guest checkout');
		const check = pane(page).getByRole('checkbox', { name: 'The value to the user is clear' });
		await check.focus();
		await page.keyboard.press('Space');
		await expect.poll(() => check.isChecked()).toBe(true);
		await page.keyboard.press('Escape');
		expect(await pane(page).count()).toBe(0);
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open “Guest checkout”');
	});

	test('B follows A: the item A opens opens in B’s pane, without taking B’s focus', async () => {
		await bob.page.getByRole('list', { name: 'People in this room' }).getByRole('button', { name: 'Follow Alice Archer' }).click();
		await openItem(alice.page, 'Saved addresses');
		await expect.poll(() => pane(bob.page).getByRole('heading', { level: 2 }).textContent()).toBe('Saved addresses');
		expect(await bob.page.evaluate(() => document.activeElement?.closest('aside'))).toBeNull();
		await bob.page.getByRole('button', { name: 'Stop following Alice Archer' }).click();
		await openItem(alice.page, 'Guest checkout');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await pane(bob.page).getByRole('heading', { level: 2 }).textContent()).toBe('Saved addresses');
	});

	test('axe finds no serious or critical violation with the pane and the dialogs open, light and dark', async () => {
		const { page } = alice;
		await openItem(page, 'Pay by card');
		for (const colorScheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme });
			await page.setViewportSize({ width: 1400, height: 1100 });
			expect(await seriousViolations(page)).toEqual([]);
			await page.getByRole('button', { name: 'Trash', exact: true }).click();
			expect(await seriousViolations(page)).toEqual([]);
			await page.getByRole('dialog', { name: 'Trash' }).getByRole('button', { name: 'Close' }).click();
		}
		await page.emulateMedia({ colorScheme: 'light' });
		await page.getByRole('button', { name: 'Close details' }).click();
		expect(await page.getByRole('complementary').count()).toBe(0);
		// Focus goes back to the row's open button.
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open “Pay by card”');
	});

	test('C with the view-only link sees the pane read-only: no control that writes', async () => {
		const carol = await newPerson(browser, baseUrl);
		try {
			await carol.page.goto(viewLink);
			await enterName(carol.page, 'Carol Chen');
			await waitSynced(carol.page);
			const p = await openItem(carol.page, 'Pay by card');
			const description = p.getByRole('textbox', { name: 'Description', exact: true });
			await expect.poll(() => description.inputValue()).toContain('Visa and Mastercard');
			expect(await description.getAttribute('readonly')).not.toBeNull();
			expect(await p.getByRole('combobox', { name: 'Estimate' }).isDisabled()).toBe(true);
			for (const name of ['Add criterion', 'Add label', 'Add blocker', 'Split…', 'Estimate still holds']) {
				expect(await p.getByRole('button', { name }).count()).toBe(0);
			}
			await carol.page.getByRole('button', { name: 'Trash', exact: true }).click();
			expect(await carol.page.getByRole('button', { name: /^Restore / }).count()).toBe(0);
			expect(carol.errors).toEqual([]);
		} finally {
			await carol.context.close();
		}
	});
});
