import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { allViolations } from '../testing/axe';
import { launchBrowser, type Person } from '../testing/browser';
import { presentPeople, seedMeetingRoom, SIXTY } from '../testing/meetingRoom';
import { hostRoom } from '../testing/people';
import { announcement, rowAction, titles } from '../testing/room';
import { until } from '../testing/until';

// The room laid out for the meeting (issue 13): every size, both themes, one browser and one
// page throughout (resized and re-themed), so the file stays quick on two cores.

const baseUrl = inject('baseUrl');
const SIZES = [
	{ width: 390, height: 844 },
	{ width: 768, height: 1024 },
	{ width: 1280, height: 800 },
	{ width: 1920, height: 1080 }
];
const SCHEMES = ['light', 'dark'] as const;
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/**
 * What is wrong with the layout as shown: the page wider than the window, or a visible control
 * outside the window or cut by a container that clips it (a row, the panel, the list).
 */
function layoutProblems(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		const width = innerWidth;
		const root = document.documentElement;
		if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth} px wide in a ${width} px window`);
		// No named functions in here: the test's compiler would wrap them in a helper the page lacks.
		for (const control of document.querySelectorAll('button, input, select, textarea, a[href], [role="menuitem"]')) {
			const name = (control.getAttribute('aria-label') ?? (control as HTMLInputElement).placeholder ?? '') || control.textContent?.trim().slice(0, 40) || control.tagName;
			const box = control.getBoundingClientRect();
			// Visually hidden (1 px), not rendered, behind the open sheet, or scrolled out of view.
			if (box.width <= 2 || box.height <= 2 || control.closest('[inert]')) continue;
			if (getComputedStyle(control).visibility === 'hidden' || box.bottom <= 0 || box.top >= innerHeight) continue;
			if (box.left < -0.5 || box.right > width + 0.5) problems.push(`“${name}” lies outside the window (${Math.round(box.left)}–${Math.round(box.right)})`);
			for (let parent = control.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
				const style = getComputedStyle(parent);
				const row = parent.matches('li[data-item-id]');
				if (style.overflowX === 'visible' && !row) continue;
				const edge = parent.getBoundingClientRect();
				const cutSideways = box.left < edge.left - 0.5 || box.right > edge.right + 0.5;
				const cutInRow = row && (box.top < edge.top - 0.5 || box.bottom > edge.bottom + 0.5);
				if (cutSideways || cutInRow) {
					problems.push(`“${name}” is cut by ${parent.tagName.toLowerCase()}.${[...parent.classList][0] ?? ''}`);
					break;
				}
			}
		}
		return problems;
	});
}

/**
 * Resize the window and wait until the header has switched to that width's layout: right after
 * a resize the other layout can still be on screen for a moment.
 */
async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
	await page.setViewportSize(size);
	const narrow = await page.evaluate(() => matchMedia('(max-width: 52rem)').matches);
	await page.getByRole('button', { name: 'Room actions' }).waitFor({ state: narrow ? 'visible' : 'detached' });
	// The list picks its rows' layout from its own width (a ResizeObserver): give it two frames.
	await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Open an item as a person at this width would: a tap on its row on a phone, its Open button elsewhere. */
async function openRow(page: Page, title: string): Promise<void> {
	const menu = page.getByRole('button', { name: `Actions for “${title}”` });
	await menu.scrollIntoViewIfNeeded();
	if ((page.viewportSize()?.width ?? 0) < 640) await page.locator('li', { has: menu }).locator('.number').click();
	else await page.getByRole('button', { name: `Open “${title}”` }).click();
	await expect.poll(() => panel(page).getByRole('textbox', { name: 'Title', exact: true }).inputValue()).toBe(title);
}

/** The open item's panel. */
const panel = (page: Page) => page.getByRole('complementary');

/** True when `count` characters of the row's title show in its title field (the field's font, width and height). */
function rowShows(page: Page, title: string, count: number): Promise<boolean> {
	return page.evaluate(
		({ title, count }) => {
			const field = [...document.querySelectorAll<HTMLTextAreaElement>('textarea.title')].find((f) => f.value === title);
			if (!field) return false;
			const style = getComputedStyle(field);
			const probe = document.createElement('div');
			probe.style.cssText = `position:absolute;visibility:hidden;box-sizing:border-box;width:${field.clientWidth}px;font:${style.font};line-height:${style.lineHeight};padding:${style.padding};overflow-wrap:anywhere;white-space:pre-wrap`;
			probe.textContent = title.slice(0, count);
			document.body.append(probe);
			const fits = probe.offsetHeight <= field.clientHeight + 0.5;
			probe.remove();
			return fits;
		},
		{ title, count }
	);
}

describe('the meeting room on every screen', () => {
	let alice: Person;
	let page: Page;
	let all: string[];
	let edit: string;

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Checkout team · sprint 14');
		alice = hosted.person;
		page = alice.page;
		edit = hosted.links.edit!;
		all = await seedMeetingRoom(baseUrl, edit);
		await until(() => page.locator('[aria-posinset="1"]').getAttribute('aria-setsize'), (size) => size === '40', { what: 'the 40 rows', timeout: 20_000 });
	});

	afterAll(async () => {
		await alice?.context.close();
	});

	test('390, 768, 1280 and 1920 px, light and dark: nothing scrolls sideways or is cut, the panel fits and Close shows', async () => {
		const seen: string[] = [];
		// Four people in the room (two of them on items): the header stays one line.
		const others = await presentPeople(baseUrl, edit, [
			{ id: 'bob', name: 'Bob Baker', color: '#0b6e99', viewing: 'meeting-3' },
			{ id: 'carol', name: 'Carol Chen', color: '#8e3b9e', viewing: 'meeting-5' },
			{ id: 'dave', name: 'Dave Diaz', color: '#2f6b2f' }
		]);
		await expect.poll(() => page.getByRole('list', { name: 'People in this room' }).getByRole('listitem').count()).toBe(4);
		for (const colorScheme of SCHEMES) {
			await page.emulateMedia({ colorScheme });
			for (const size of SIZES) {
				const where = `${size.width}×${size.height} ${colorScheme}`;
				await resize(page, size);
				await page.evaluate(() => window.scrollTo(0, 0));
				for (const problem of await layoutProblems(page)) seen.push(`${where}: ${problem}`);
				const header = await page.getByRole('banner').boundingBox();
				if (!header || header.height > 80) seen.push(`${where}: the header wraps (${header?.height} px tall)`);
				// Halfway down the list too: the sticky header and add field over the rows.
				await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
				for (const problem of await layoutProblems(page)) seen.push(`${where}, scrolled: ${problem}`);
				await page.evaluate(() => window.scrollTo(0, 0));

				// Open the item with three labels; phones open it with a tap on the row.
				await page.getByRole('button', { name: `Actions for “${SIXTY}”` }).scrollIntoViewIfNeeded();
				if (size.width < 640) await page.locator('li', { has: page.getByRole('button', { name: `Actions for “${SIXTY}”` }) }).locator('.number').click();
				else await page.getByRole('button', { name: `Open “${SIXTY}”` }).click();
				await expect.poll(() => panel(page).getByRole('textbox', { name: 'Title', exact: true }).inputValue()).toBe(SIXTY);
				const fits = await panel(page).evaluate((pane) => pane.scrollWidth <= pane.clientWidth);
				if (!fits) seen.push(`${where}: the panel's content is wider than the panel`);
				const close = page.getByRole('button', { name: 'Close details' });
				const closeBox = await close.boundingBox();
				if (!closeBox || closeBox.x < 0 || closeBox.x + closeBox.width > size.width || closeBox.y < 0 || closeBox.y + closeBox.height > size.height)
					seen.push(`${where}: Close is not in view (${JSON.stringify(closeBox)})`);
				for (const problem of await layoutProblems(page)) seen.push(`${where}, panel open: ${problem}`);
				// The panel's own scroll: its end, and Close still there.
				await panel(page).evaluate((pane) => pane.scrollTo(0, pane.scrollHeight));
				for (const problem of await layoutProblems(page)) seen.push(`${where}, panel scrolled: ${problem}`);
				if (!(await close.isVisible())) seen.push(`${where}: Close hidden when the panel is scrolled`);

				if (size.width === 1280) {
					// Beside the list: the 60-character title is whole in its row, with its three labels.
					if (!(await rowShows(page, SIXTY, SIXTY.length))) seen.push(`${where}: “${SIXTY}” is not fully readable in its row`);
					const row = page.locator('li', { has: page.getByRole('button', { name: `Actions for “${SIXTY}”` }) });
					for (const label of ['payments', 'checkout', 'mobile'])
						if (!(await row.locator('.label', { hasText: label }).isVisible())) seen.push(`${where}: label ${label} not shown`);
				}
				await close.click();
				await expect.poll(() => panel(page).count()).toBe(0);

				if (size.width === 390) {
					// Every row in view shows at least 30 characters of its title.
					const shown = await page.locator('textarea.title').evaluateAll((fields) =>
						fields.filter((f) => f.getBoundingClientRect().top < innerHeight).map((f) => (f as HTMLTextAreaElement).value)
					);
					expect(shown.length).toBeGreaterThan(3);
					for (const title of shown) if (!(await rowShows(page, title, 30))) seen.push(`${where}: fewer than 30 characters of “${title}” show`);
				}
			}
		}
		others.leave();
		expect(seen).toEqual([]);
		await page.emulateMedia({ colorScheme: 'light' });
		await resize(page, { width: 1280, height: 800 });
	}, 180_000);

	test('on a 390 px phone every avatar and control in the header and its Room actions is at least 44 × 44 px', async () => {
		const others = await presentPeople(baseUrl, edit, [
			{ id: 'bob', name: 'Bob Baker', color: '#0b6e99' },
			{ id: 'carol', name: 'Carol Chen', color: '#8e3b9e' }
		]);
		// Three people: on a phone one avatar and "+2".
		await expect.poll(() => page.getByRole('list', { name: 'People in this room' }).getByRole('listitem').count()).toBe(3);
		const small: string[] = [];
		const measure = async (what: string, within: Locator, selector: string) => {
			for (const target of await within.locator(selector).all()) {
				const box = await target.boundingBox();
				if (!box || !(await target.isVisible())) continue;
				if (box.width < 43.5 || box.height < 43.5) {
					const name = (await target.getAttribute('aria-label')) ?? (await target.textContent())?.trim();
					small.push(`${what}: “${name}” is ${Math.round(box.width)}×${Math.round(box.height)} px`);
				}
			}
		};
		const CONTROLS = 'button, a[href], input, select, [role="button"], [role="menuitem"]';
		for (const colorScheme of SCHEMES) {
			await page.emulateMedia({ colorScheme });
			await resize(page, { width: 390, height: 844 });
			const header = page.getByRole('banner');
			await measure(`header, ${colorScheme}`, header, `${CONTROLS}, .avatar`);
			const actions = page.getByRole('button', { name: 'Room actions' });
			await actions.click();
			await expect.poll(() => actions.getAttribute('aria-expanded')).toBe('true');
			const tools = page.getByRole('toolbar', { name: 'Room actions' });
			await measure(`Room actions, ${colorScheme}`, tools, CONTROLS);
			// The Export menu opened from there.
			await tools.getByRole('button', { name: 'Export', exact: true }).click();
			await measure(`Export menu, ${colorScheme}`, page.getByRole('menu', { name: 'Export the backlog' }), CONTROLS);
			await page.keyboard.press('Escape');
			await page.getByRole('menu').waitFor({ state: 'detached' });
			await actions.click();
			await expect.poll(() => actions.getAttribute('aria-expanded')).toBe('false');
		}
		others.leave();
		await page.emulateMedia({ colorScheme: 'light' });
		await resize(page, { width: 1280, height: 800 });
		expect(small).toEqual([]);
	});

	test('an item opens by a click on its row and by Enter, and its title is edited in the panel', async () => {
		const title = all[0];
		const row = page.locator('li', { has: page.getByRole('button', { name: `Actions for “${title}”` }) });
		await row.locator('.status').click();
		const field = panel(page).getByRole('textbox', { name: 'Title', exact: true });
		await expect.poll(() => field.inputValue()).toBe(title);
		await page.getByRole('button', { name: 'Close details' }).click();

		await page.getByRole('textbox', { name: 'Title of item 2', exact: true }).press('Enter');
		await expect.poll(() => field.inputValue()).toBe(all[1]);
		await field.press('End');
		await field.pressSequentially(' (edited)');
		await expect.poll(() => page.getByRole('textbox', { name: 'Title of item 2', exact: true }).inputValue()).toBe(`${all[1]} (edited)`);
		await page.keyboard.press('Escape');
		await expect.poll(() => panel(page).count()).toBe(0);
	});

	// The compact poker bar and its table come with the poker rewrite (issue 14, QueueBar.svelte);
	// until it is merged the old panel still shows its settings above the list.
	const pokerRewritten = existsSync(fileURLToPath(new URL('../lib/components/room/poker/QueueBar.svelte', import.meta.url)));
	test.runIf(pokerRewritten)('with no round open, nothing of poker sits above the list', async () => {
		const list = await page.getByRole('list', { name: 'Backlog items in priority order' }).boundingBox();
		const above = await page.evaluate(
			(top) => [...document.querySelectorAll('[aria-labelledby="poker-heading"], #poker-heading')].filter((e) => e.getBoundingClientRect().height > 1 && e.getBoundingClientRect().top < top).length,
			list!.y
		);
		expect(above).toBe(0);
	});

	test('the whole flow from the keyboard alone, wide and on a phone: add, open, edit, move, delete, undo', async () => {
		const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
		const focusedRow = () => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset') ?? null);
		/** Press Tab until the control named `name` has focus (as a person tabbing along would), at most `limit` times. */
		const tabTo = async (name: string, limit = 8) => {
			for (let i = 0; i < limit && (await focused()) !== name; i++) await page.keyboard.press('Tab');
			expect(await focused()).toBe(name);
		};
		for (const size of [
			{ width: 1280, height: 800 },
			{ width: 390, height: 844 }
		]) {
			await resize(page, size);
			await page.evaluate(() => window.scrollTo(0, 0));
			const typed = `Typed from the keyboard only at ${size.width} px`;
			const rows = Number(await page.locator('[aria-posinset="1"]').getAttribute('aria-setsize'));
			const add = page.getByRole('textbox', { name: 'New item title' });
			await add.focus();
			await page.keyboard.type(typed);
			await page.keyboard.press('Enter');
			await expect.poll(() => announcement(page)).toBe(`“${typed}” added.`);
			// Into the list, then to its last row: the new item, last at the top level.
			await page.keyboard.press('Shift+Tab');
			await page.keyboard.press('Control+End');
			await expect.poll(focusedRow).toBe(String(rows + 1));
			const titleName = await page.evaluate(() => document.activeElement?.closest('li')?.querySelector('textarea.title')?.getAttribute('aria-label') ?? '');
			const place = Number(/^Title of item (\d+)$/.exec(titleName)?.[1]);
			expect(place).toBeGreaterThan(1);
			// Its menu: Open.
			await tabTo(`Actions for “${typed}”`);
			await page.keyboard.press('Enter');
			await expect.poll(() => page.getByRole('menu').count()).toBe(1);
			await page.keyboard.press('Enter');
			const field = panel(page).getByRole('textbox', { name: 'Title', exact: true });
			await expect.poll(() => field.inputValue()).toBe(typed);
			// Edit the title in the panel.
			await page.keyboard.press('Tab');
			expect(await focused()).toBe('Title');
			await page.keyboard.press('End');
			await page.keyboard.type(', then edited');
			const edited = `${typed}, then edited`;
			await expect.poll(() => page.getByRole('textbox', { name: titleName, exact: true }).inputValue()).toBe(edited);
			// Back to the row (its Open button; on a phone, its title), and move it up one place.
			await page.keyboard.press('Escape');
			await expect.poll(() => panel(page).count()).toBe(0);
			await expect.poll(focused).toBe(size.width < 640 ? titleName : `Open “${edited}”`);
			await page.keyboard.press('Alt+ArrowUp');
			await expect.poll(() => announcement(page)).toBe(`“${edited}” moved to position ${place - 1} of ${place}.`);
			// Delete it from its menu, then undo.
			await tabTo(`Actions for “${edited}”`);
			await page.keyboard.press('Enter');
			await expect.poll(() => page.getByRole('menu').count()).toBe(1);
			await page.keyboard.press('End');
			await page.keyboard.press('Enter');
			await expect.poll(() => announcement(page)).toBe(`“${edited}” moved to the trash. Press Ctrl+Z to undo.`);
			expect(await titles(page)).not.toContain(edited);
			await page.keyboard.press('Control+z');
			await expect.poll(() => titles(page).then((shown) => shown.includes(edited))).toBe(true);
		}
		await resize(page, { width: 1280, height: 800 });
	}, 120_000);

	test('axe finds nothing on home, the room, the panel, each dialog and menu, light and dark', async () => {
		const found: string[] = [];
		// Every violation counts, minor ones too. The room and the panel are checked whole; what
		// opens over them is checked on its own (axe on the 40-row room takes seconds each time).
		const check = async (what: string, within?: string) => {
			for (const violation of await allViolations(page, within)) found.push(`${what}: ${violation}`);
		};
		// Four people in the room: on a phone one avatar shows and the rest fold into "+3".
		const others = await presentPeople(baseUrl, edit, [
			{ id: 'bob', name: 'Bob Baker', color: '#0b6e99', viewing: 'meeting-3', voter: true },
			{ id: 'carol', name: 'Carol Chen', color: '#8e3b9e' },
			{ id: 'dave', name: 'Dave Diaz', color: '#2f6b2f' }
		]);
		await expect.poll(() => page.getByRole('list', { name: 'People in this room' }).getByRole('listitem').count()).toBe(4);
		// Something in the trash, so its dialog lists an item.
		const deleted = all[5];
		await page.evaluate(() => window.scrollTo(0, 0));
		await rowAction(page, deleted, 'Delete');
		await expect.poll(() => titles(page).then((shown) => shown.includes(deleted))).toBe(false);

		const menu = (name: string) => async () => {
			await page.getByRole('button', { name, exact: true }).click();
			await page.getByRole('menu').waitFor();
		};
		const pokerMenuEntry = (entry: string) => async () => {
			await menu('Planning poker menu')();
			await page.getByRole('menuitem', { name: entry }).click();
		};
		/** What opens over the room at 1280 px: how to open it and what it is. Each closes with Escape. */
		const overlays: { what: string; open: () => Promise<unknown>; shows: Locator }[] = [
			{ what: 'row menu', open: () => page.getByRole('button', { name: `Actions for “${SIXTY}”` }).click(), shows: page.getByRole('menu') },
			{ what: 'Export menu', open: menu('Export'), shows: page.getByRole('menu', { name: 'Export the backlog' }) },
			{ what: 'planning poker menu', open: menu('Planning poker menu'), shows: page.getByRole('menu') },
			{ what: 'Share', open: () => page.getByRole('button', { name: 'Share' }).click(), shows: page.getByRole('dialog', { name: 'Share this room' }) },
			{ what: 'Import', open: () => page.getByRole('button', { name: 'Import', exact: true }).click(), shows: page.getByRole('dialog', { name: 'Import a backlog' }) },
			{ what: 'History', open: () => page.getByRole('button', { name: 'History', exact: true }).click(), shows: page.getByRole('dialog', { name: 'Room history' }) },
			{ what: 'Rename room', open: () => page.getByRole('button', { name: 'Rename room' }).click(), shows: page.getByRole('dialog', { name: 'Rename room' }) },
			{ what: 'Change your name', open: () => page.getByRole('button', { name: 'Change your name' }).click(), shows: page.getByRole('dialog', { name: 'Change your name' }) },
			{ what: 'Keyboard shortcuts', open: () => page.getByRole('button', { name: 'Keyboard shortcuts' }).click(), shows: page.getByRole('dialog', { name: 'Keyboard shortcuts' }) },
			{ what: 'Poker settings', open: pokerMenuEntry('Poker settings'), shows: page.getByRole('dialog', { name: 'Poker settings' }) },
			{ what: 'Session summary', open: pokerMenuEntry('Session summary'), shows: page.getByRole('dialog', { name: 'Session summary' }) },
			{ what: 'Estimate the next items', open: pokerMenuEntry('Estimate the next items…'), shows: page.getByRole('dialog', { name: 'Estimate the next items' }) },
			{ what: 'Trash', open: () => page.getByRole('button', { name: 'Trash', exact: true }).click(), shows: page.getByRole('dialog', { name: 'Trash' }) },
			{
				// The question before handing the facilitator's role over (a bits-ui AlertDialog).
				what: 'hand-over question',
				open: async () => {
					await pokerMenuEntry('Poker settings')();
					const settings = page.getByRole('dialog', { name: 'Poker settings' });
					await settings.getByRole('combobox', { name: 'Hand over the facilitator’s role to' }).selectOption({ label: 'Bob Baker' });
					await settings.getByRole('button', { name: 'Hand over', exact: true }).click();
				},
				shows: page.getByRole('alertdialog', { name: 'Hand over to Bob Baker?' })
			},
			{
				what: 'bulk status menu',
				open: async () => {
					await page.getByRole('checkbox', { name: `Select “${SIXTY}”` }).check();
					await menu('Set status of selected')();
				},
				shows: page.getByRole('menu')
			}
		];
		const OVER = 'dialog[open], [role="dialog"], [role="alertdialog"], [role="menu"], [data-popover-content]';

		for (const colorScheme of SCHEMES) {
			await page.emulateMedia({ colorScheme });
			// The room and its item panel at every size: beside the list, or a sheet over it.
			for (const size of SIZES) {
				const where = `${size.width}×${size.height} ${colorScheme}`;
				await resize(page, size);
				await page.evaluate(() => window.scrollTo(0, 0));
				await check(`room, ${where}`);
				await openRow(page, SIXTY);
				await check(`panel open, ${where}`, size.width === 1280 ? undefined : 'aside');
				await page.getByRole('button', { name: 'Close details' }).click();
				await expect.poll(() => panel(page).count()).toBe(0);
			}

			await resize(page, { width: 1280, height: 800 });
			await page.evaluate(() => window.scrollTo(0, 0));
			for (const { what, open, shows } of overlays) {
				await open();
				await shows.waitFor();
				await check(`${what}, ${colorScheme}`, OVER);
				await page.keyboard.press('Escape');
				await shows.waitFor({ state: 'hidden' });
			}
			// The bulk toolbar (in the dock) with one row picked; Escape clears the selection.
			await check(`bulk toolbar, ${colorScheme}`, '[role="toolbar"][aria-label*="selected"]');
			await page.keyboard.press('Escape');
			await expect.poll(() => page.getByRole('checkbox', { name: `Select “${SIXTY}”` }).isChecked()).toBe(false);
			// Split opens the item and its dialog.
			await rowAction(page, SIXTY, 'Split…');
			const split = page.getByRole('dialog', { name: `Split “${SIXTY}”` });
			await split.waitFor();
			await check(`Split, ${colorScheme}`, OVER);
			await page.keyboard.press('Escape');
			await split.waitFor({ state: 'hidden' });
			await page.getByRole('button', { name: 'Close details' }).click();

			// A phone: the header's actions and the people folded into "+2".
			await resize(page, { width: 390, height: 844 });
			await page.getByRole('button', { name: 'Room actions' }).click();
			await expect.poll(() => page.getByRole('button', { name: 'Room actions' }).getAttribute('aria-expanded')).toBe('true');
			await check(`phone actions, ${colorScheme}`, 'header');
			await page.getByRole('button', { name: 'Room actions' }).click();
			// The find bar folds behind one button on a phone: it opens, and closes again.
			const find = page.getByRole('button', { name: 'Find and filter' });
			expect(await find.getAttribute('aria-expanded')).toBe('false');
			expect(await page.getByRole('search').count()).toBe(0);
			await find.click();
			await expect.poll(() => find.getAttribute('aria-expanded')).toBe('true');
			await page.getByRole('search').waitFor();
			await check(`phone find, ${colorScheme}`, 'main');
			await find.click();
			await page.getByRole('search').waitFor({ state: 'detached' });
			await page.getByRole('button', { name: 'and 3 more' }).click();
			await page.getByRole('list', { name: 'and 3 more' }).waitFor();
			await check(`phone people, ${colorScheme}`, OVER);
			await page.keyboard.press('Escape');
			await page.getByRole('list', { name: 'and 3 more' }).waitFor({ state: 'hidden' });
		}
		others.leave();
		await resize(page, { width: 1280, height: 800 });
		await page.goto('/');
		for (const colorScheme of SCHEMES) {
			await page.emulateMedia({ colorScheme });
			await expect.poll(() => page.getByRole('heading', { name: 'Refinery' }).count()).toBe(1);
			await check(`home, ${colorScheme}`);
		}
		await page.emulateMedia({ colorScheme: 'light' });
		expect(found).toEqual([]);
	}, 400_000);

	test('the theme follows the system until the toggle picks one, which is remembered', async () => {
		await page.goto('/');
		await expect.poll(() => page.getByRole('heading', { name: 'Refinery' }).count()).toBe(1);
		const toggle = page.getByRole('button', { name: 'Dark theme' });
		const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
		await page.emulateMedia({ colorScheme: 'light' });
		const light = await background();
		await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
		await page.emulateMedia({ colorScheme: 'dark' });
		const dark = await background();
		expect(dark).not.toBe(light);
		await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
		// The person picks light while the system is dark; it stays light after a reload.
		await toggle.click();
		await expect.poll(background).toBe(light);
		await page.reload();
		await expect.poll(() => page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('false');
		expect(await background()).toBe(light);
		await page.emulateMedia({ colorScheme: 'light' });
		expect(alice.errors).toEqual([]);
	});
});
