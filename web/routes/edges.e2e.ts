import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { waitOfflineReady } from '../testing/offlineReady';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, enterName, rowAction, shareLinks, titles, waitSynced } from '../testing/room';
import { until } from '../testing/until';

// The rough edges people hit while editing one backlog together (issue 15): each test is one
// of them, found by role and name as a person would. Three people share one room for the whole
// file (CI runs on two cores): Alice and Bob edit, Carol has the view-only link.

const baseUrl = inject('baseUrl');
let browser: Browser;
let alice: Person;
let bob: Person;
let carol: Person;

const backlog = (page: Page) => page.getByRole('list', { name: 'Backlog items in priority order' });
const rowOf = (page: Page, title: string) =>
	backlog(page)
		.getByRole('listitem')
		.filter({ has: page.getByRole('button', { name: `Open “${title}”` }) });
const pane = (page: Page) => page.getByRole('complementary');
const openItem = (page: Page, title: string) => page.getByRole('button', { name: `Open “${title}”` }).click();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? 'NONE');

/** In the open item's pane: mark it as blocked by the item titled `blocker`. */
async function blockBy(page: Page, blocker: string): Promise<void> {
	const pick = pane(page).getByRole('combobox', { name: 'Item that blocks this one' });
	const value = await pick.evaluate(
		(select: HTMLSelectElement, title) => [...select.options].find((option) => option.text.endsWith(` ${title}`))?.value ?? '',
		blocker
	);
	expect(value).not.toBe('');
	await pick.selectOption(value);
	await pane(page).getByRole('button', { name: 'Add blocker' }).click();
}

beforeAll(async () => {
	browser = await launchBrowser();
	const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Edges');
	alice = hosted.person;
	bob = await joinRoom(browser, baseUrl, hosted.links.edit!, 'Bob Baker');
	carol = await joinRoom(browser, baseUrl, hosted.links.view, 'Carol Chen');
});
afterAll(async () => {
	await browser?.close();
});

describe('lost or misleading work', () => {
	test('1: B keeps typing in an item A deletes: focus and text stay, the pane says who deleted it and restores it', async () => {
		await addItem(alice.page, 'Doomed');
		await until(() => titles(bob.page), (shown) => shown.includes('Doomed'), { what: 'B sees the item' });
		await openItem(bob.page, 'Doomed');
		const description = pane(bob.page).getByRole('textbox', { name: 'Description' });
		await description.click();
		await bob.page.keyboard.type('Half a thought');
		await rowAction(alice.page, 'Doomed', 'Delete');
		await until(() => pane(bob.page).textContent(), (text) => text?.includes('Alice Archer') ?? false, { what: 'B is told who deleted it' });
		await bob.page.keyboard.type(' and the rest');
		expect(await description.inputValue()).toBe('Half a thought and the rest');
		expect(await bob.page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^description-/);
		await pane(bob.page).getByRole('button', { name: 'Restore “Doomed”' }).click();
		await until(() => titles(alice.page), (shown) => shown.includes('Doomed'), { what: 'A sees it restored' });
		await openItem(alice.page, 'Doomed');
		await until(() => pane(alice.page).getByRole('textbox', { name: 'Description' }).inputValue(), (v) => v === 'Half a thought and the rest', {
			what: 'every character B typed'
		});
	});

	test('2: a blocking cycle made by two people offline is flagged on rows and in the pane and broken in one click', async () => {
		await addItem(alice.page, 'Six');
		await addItem(alice.page, 'Seven');
		await until(() => titles(bob.page), (shown) => shown.includes('Seven'), { what: 'B sees both' });
		await alice.context.setOffline(true);
		await openItem(alice.page, 'Six');
		await blockBy(alice.page, 'Seven');
		await openItem(bob.page, 'Seven');
		await blockBy(bob.page, 'Six');
		await alice.context.setOffline(false);
		for (const page of [alice.page, bob.page]) {
			await until(() => rowOf(page, 'Six').getByText('In a blocking cycle').count(), (n) => n === 1, { what: 'the cycle flagged on “Six”' });
			expect(await rowOf(page, 'Seven').getByText('In a blocking cycle').count()).toBe(1);
		}
		const cycle = pane(bob.page).getByRole('region', { name: 'Blocking cycle' });
		expect(await cycle.textContent()).toContain('“Seven” → “Six” → “Seven”');
		expect(await seriousViolations(bob.page)).toEqual([]);
		await cycle.getByRole('button', { name: /^Break the cycle/ }).click();
		await until(() => rowOf(alice.page, 'Six').getByText('In a blocking cycle').count(), (n) => n === 0, { what: 'the flag gone for A' });
		expect(await rowOf(bob.page, 'Seven').getByText('In a blocking cycle').count()).toBe(0);
	});

	test('2: refusing a link that closes a cycle of three names the items', async () => {
		for (const title of ['Ant', 'Bee', 'Cat']) await addItem(alice.page, title);
		await openItem(alice.page, 'Ant');
		await blockBy(alice.page, 'Bee');
		await openItem(alice.page, 'Bee');
		await blockBy(alice.page, 'Cat');
		await openItem(alice.page, 'Cat');
		await blockBy(alice.page, 'Ant');
		const refusal = await pane(alice.page).getByRole('alert').textContent();
		expect(refusal).not.toContain('the two items');
		expect(refusal).toContain('“Ant” → “Bee” → “Cat”');
	});

	test('7: a teammate opening a room that has not reached the server yet is told so and gets it when it arrives', async () => {
		const maker = await newPerson(browser, baseUrl);
		const teammate = await newPerson(browser, baseUrl);
		try {
			await maker.page.goto('/');
			await enterName(maker.page, 'Maker');
			// As a person who opened the app before the train: it is cached, so the room's later parts (Share) load offline.
			await waitOfflineReady(maker.page);
			await maker.context.setOffline(true);
			await maker.page.getByRole('textbox', { name: 'Room name' }).fill('Made offline');
			await maker.page.getByRole('button', { name: 'Create room' }).click();
			await maker.page.waitForURL(/\/r\//);
			await addItem(maker.page, 'Written on the train');
			const { edit } = await shareLinks(maker.page);
			await teammate.page.goto(edit!);
			await enterName(teammate.page, 'Teammate');
			await until(() => teammate.page.getByText('This room has not arrived yet').count(), (n) => n > 0, { what: 'told the room has not arrived' });
			const status = () => teammate.page.getByRole('status', { name: 'Connection' }).textContent();
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(await status()).not.toContain('Connected and synced');
			expect(await teammate.page.getByRole('heading', { name: 'Untitled room' }).count()).toBe(0);
			await maker.context.setOffline(false);
			await until(() => titles(teammate.page), (shown) => shown.includes('Written on the train'), { timeout: 30_000, what: 'the room arrives' });
			await teammate.page.getByRole('heading', { level: 1, name: 'Made offline' }).waitFor();
			await waitSynced(teammate.page);
			expect(await teammate.page.getByText('This room has not arrived yet').count()).toBe(0);
		} finally {
			await maker.context.close();
			await teammate.context.close();
		}
	});
});

describe('presence and view-only', () => {
	beforeAll(async () => {
		await addItem(alice.page, 'Criteria talk');
		await openItem(alice.page, 'Criteria talk');
		await pane(alice.page).getByRole('textbox', { name: 'New acceptance criterion' }).fill('Shows the total');
		await pane(alice.page).getByRole('button', { name: 'Add criterion' }).click();
		await until(() => titles(carol.page), (shown) => shown.includes('Criteria talk'), { what: 'C sees the item' });
		await openItem(bob.page, 'Criteria talk');
		await openItem(carol.page, 'Criteria talk');
	});

	test('8: the “editing this criterion” sign stays while A types', async () => {
		await pane(alice.page).getByRole('textbox', { name: 'Acceptance criterion 1' }).click();
		await alice.page.keyboard.press('End');
		const sign = pane(bob.page).getByText('Alice Archer is editing');
		await sign.waitFor();
		await alice.page.keyboard.type(' in euros');
		await until(() => pane(bob.page).getByRole('textbox', { name: 'Acceptance criterion 1' }).inputValue(), (v) => v.endsWith('in euros'), {
			what: 'B sees the typing'
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await sign.count()).toBe(1);
		await alice.page.keyboard.press('Tab');
	});

	test('9: a viewer clicking a criterion is not shown as typing, and editors see who only views', async () => {
		await pane(carol.page).getByRole('textbox', { name: 'Acceptance criterion 1' }).click();
		await new Promise((resolve) => setTimeout(resolve, 700));
		expect(await pane(alice.page).getByText('Carol Chen is editing').count()).toBe(0);
		expect(await rowOf(alice.page, 'Criteria talk').getByText('Carol Chen is typing here').count()).toBe(0);
		const people = alice.page.getByRole('list', { name: 'People in this room' });
		await until(() => people.textContent(), (text) => text?.includes('Carol Chen (view only)') ?? false, { what: 'C marked as a viewer' });
		expect(await people.textContent()).not.toContain('Bob Baker (view only)');
	});

	test('10: read-only description and criterion fields look read-only to a viewer', async () => {
		const look = (page: Page, name: string) =>
			pane(page)
				.getByRole('textbox', { name })
				.evaluate((field) => {
					const style = getComputedStyle(field);
					return { resize: style.resize, background: style.backgroundColor, caret: style.caretColor, border: style.borderStyle };
				});
		for (const name of ['Description', 'Acceptance criterion 1']) {
			const viewer = await look(carol.page, name);
			const editor = await look(alice.page, name);
			expect(viewer.resize).toBe('none');
			expect(viewer.background).not.toBe(editor.background);
			expect(viewer.caret).toBe('rgba(0, 0, 0, 0)');
		}
	});

	test('11: while following someone, opening an item yourself stops following and says so', async () => {
		await bob.page.getByRole('list', { name: 'People in this room' }).getByRole('button', { name: 'Follow Alice Archer' }).click();
		await addItem(alice.page, 'Followed item');
		await openItem(alice.page, 'Followed item');
		await until(() => pane(bob.page).getByRole('heading', { level: 2 }).textContent(), (t) => t === 'Followed item', { what: 'B follows A' });
		await openItem(bob.page, 'Criteria talk');
		await until(() => pane(bob.page).getByRole('heading', { level: 2 }).textContent(), (t) => t === 'Criteria talk', { what: 'B’s own click opens' });
		await bob.page.getByText('You stopped following Alice Archer').waitFor();
		expect(await bob.page.getByRole('button', { name: 'Stop following Alice Archer' }).count()).toBe(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await pane(bob.page).getByRole('heading', { level: 2 }).textContent()).toBe('Criteria talk');
	});
});

describe('lists and keyboard', () => {
	test('12: bulk status reaches Done from the keyboard without applying on arrow keys, and bulk kind', async () => {
		for (const title of ['Bulk one', 'Bulk two']) await addItem(alice.page, title);
		const page = alice.page;
		await page.getByRole('checkbox', { name: 'Select “Bulk one”' }).check();
		await page.getByRole('checkbox', { name: 'Select “Bulk two”' }).check();
		await page.getByRole('button', { name: 'Set status of selected' }).focus();
		await page.keyboard.press('Enter');
		await page.getByRole('menu').waitFor();
		expect(await seriousViolations(page)).toEqual([]);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		expect(await rowOf(page, 'Bulk one').textContent()).toContain('New');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Done');
		await page.keyboard.press('Enter');
		await until(() => rowOf(page, 'Bulk two').textContent(), (t) => t?.includes('Done') ?? false, { what: 'both set to Done' });
		expect(await rowOf(page, 'Bulk one').textContent()).toContain('Done');
		await page.getByRole('button', { name: 'Set kind of selected' }).click();
		await page.getByRole('menuitem', { name: 'Bug' }).click();
		await until(() => rowOf(page, 'Bulk one').textContent(), (t) => t?.includes('Bug') ?? false, { what: 'kind set' });
		expect(await rowOf(page, 'Bulk two').textContent()).toContain('Bug');
		// 17: Escape clears the selection from the toolbar too.
		await page.getByRole('button', { name: 'Set kind of selected' }).focus();
		await page.keyboard.press('Escape');
		await until(() => page.getByRole('toolbar', { name: /selected item/ }).count(), (n) => n === 0, { what: 'selection cleared' });
	});

	test('13: search finds criteria; an added item hidden by the filter is signalled; blocked items are marked', async () => {
		const page = alice.page;
		await addItem(page, 'Receipt email');
		await openItem(page, 'Receipt email');
		await pane(page).getByRole('textbox', { name: 'New acceptance criterion' }).fill('Uses the gherkin template');
		await pane(page).getByRole('button', { name: 'Add criterion' }).click();
		const search = page.getByRole('searchbox');
		await search.fill('gherkin');
		await until(() => titles(page), (shown) => shown.length === 1 && shown[0] === 'Receipt email', { what: 'found by its criterion' });
		await addItem(page, 'Hidden by filter');
		await page.getByText('“Hidden by filter” was added, but the filter hides it.').waitFor();
		await page.getByRole('button', { name: 'Show “Hidden by filter”' }).click();
		await until(() => titles(page), (shown) => shown.includes('Hidden by filter'), { what: 'shown after the sign' });
		expect(await search.inputValue()).toBe('');
		// “Receipt email” waits on “Hidden by filter”: marked on its row, and the blocker says what it blocks.
		await openItem(page, 'Receipt email');
		await blockBy(page, 'Hidden by filter');
		await until(() => rowOf(page, 'Receipt email').getByText('Blocked', { exact: true }).count(), (n) => n === 1, { what: 'marked blocked' });
		await openItem(page, 'Hidden by filter');
		const blocks = pane(page).getByRole('list', { name: 'Blocks' });
		expect(await blocks.textContent()).toContain('Receipt email');
	});

	test('14: criteria are multi-line and wrap whole sentences', async () => {
		const page = alice.page;
		await openItem(page, 'Receipt email');
		const field = pane(page).getByRole('textbox', { name: 'New acceptance criterion' });
		await field.fill('Given a shopper who paid with a card that needs a second step');
		await page.keyboard.press('Shift+Enter');
		await page.keyboard.type('then the email names the bank and the amount in their own currency');
		await page.keyboard.press('Enter');
		const criterion = pane(page).getByRole('textbox', { name: 'Acceptance criterion 2' });
		await criterion.waitFor();
		const shape = await criterion.evaluate((element) => ({
			tag: element.tagName,
			value: (element as HTMLTextAreaElement).value,
			cut: element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1
		}));
		expect(shape.tag).toBe('TEXTAREA');
		expect(shape.value).toContain('second step\nthen the email');
		expect(shape.cut).toBe(false);
	});

	test('16: the trash wraps titles at words, lists children under their parent, and restores everything at once', async () => {
		const page = alice.page;
		await addItem(page, 'Parent with a rather long title about internationalisation');
		await openItem(page, 'Parent with a rather long title about internationalisation');
		await pane(page).getByRole('button', { name: 'Split…' }).click();
		const split = page.getByRole('dialog', { name: /^Split/ });
		await split.getByRole('textbox', { name: 'Title of child 1' }).fill('Child one');
		await split.getByRole('textbox', { name: 'Title of child 2' }).fill('Child two');
		await split.getByRole('button', { name: 'Split', exact: true }).click();
		await rowAction(page, 'Parent with a rather long title about internationalisation', 'Delete');
		await rowAction(page, 'Followed item', 'Delete');
		await page.getByRole('button', { name: 'Trash' }).click();
		const trash = page.getByRole('dialog', { name: 'Trash' });
		const children = trash.getByRole('list', { name: 'Children of “Parent with a rather long title about internationalisation”' });
		expect(await children.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Child one'), expect.stringContaining('Child two')]);
		const wrap = await trash.getByText('Parent with a rather long title about internationalisation', { exact: true }).evaluate((element) => getComputedStyle(element).overflowWrap);
		expect(wrap).toBe('break-word');
		expect(await seriousViolations(page)).toEqual([]);
		await trash.getByRole('button', { name: 'Restore all' }).click();
		await trash.getByText('The trash is empty.').waitFor();
		await trash.getByRole('button', { name: 'Close' }).click();
		expect(await titles(page)).toEqual(expect.arrayContaining(['Child one', 'Child two', 'Followed item']));
	});

	test('17: a skip link to the new-item field, and focus after removing a criterion', async () => {
		const page = bob.page;
		// As someone arriving at the room: the first Tab after the page loads.
		await page.reload();
		await waitSynced(page);
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to the new item field' });
		expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true);
		await page.keyboard.press('Enter');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-item-title');
		await openItem(page, 'Receipt email');
		await pane(page).getByRole('button', { name: 'Remove criterion 1' }).click();
		expect(await focused(page)).not.toBe('BODY');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Acceptance criterion 1');
	});

	test('17: after entering a name focus is on the page, and the page-change announcer says the room’s name', async () => {
		const { edit } = await shareLinks(alice.page);
		const dora = await newPerson(browser, baseUrl);
		try {
			await dora.page.goto(edit!);
			await enterName(dora.page, 'Dora');
			await waitSynced(dora.page);
			expect(await focused(dora.page)).not.toBe('BODY');
			await dora.page.goto('/');
			await dora.page.getByRole('textbox', { name: 'Room name' }).fill('Quarterly planning');
			await dora.page.getByRole('button', { name: 'Create room' }).click();
			await waitSynced(dora.page);
			const said = await dora.page.locator('#svelte-announcer').textContent();
			expect(said).toContain('Quarterly planning');
			expect(said).not.toContain('Untitled room');
		} finally {
			await dora.context.close();
		}
	});

	test('18: rename the room, and change your own name after the first visit', async () => {
		await alice.page.getByRole('button', { name: 'Rename room' }).click();
		const rename = alice.page.getByRole('dialog', { name: 'Rename room' });
		expect(await seriousViolations(alice.page)).toEqual([]);
		await rename.getByRole('textbox', { name: 'Room name' }).fill('Edges, renamed');
		await rename.getByRole('button', { name: 'Rename' }).click();
		await bob.page.getByRole('heading', { level: 1, name: 'Edges, renamed' }).waitFor();
		await bob.page.getByRole('button', { name: 'Change your name' }).click();
		const change = bob.page.getByRole('dialog', { name: 'Change your name' });
		await change.getByRole('textbox', { name: 'Your name' }).fill('Robert Baker');
		await change.getByRole('button', { name: 'Save' }).click();
		const people = alice.page.getByRole('list', { name: 'People in this room' });
		await until(() => people.textContent(), (text) => text?.includes('Robert Baker') ?? false, { what: 'A sees B’s new name' });
		expect(alice.errors).toEqual([]);
		expect(bob.errors).toEqual([]);
		expect(carol.errors).toEqual([]);
	});
});
