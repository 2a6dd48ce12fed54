import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, announcement, titles, waitSynced } from '../testing/room';
import { until } from '../testing/until';

const baseUrl = inject('baseUrl');
const fixture = (name: string) => readFileSync(new URL(`../../shared/io/fixtures/${name}`, import.meta.url));
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Open the Import dialog from the room's toolbar. */
async function openImport(page: Page) {
	// On a phone the room's actions fold behind one button.
	// Ask the page, not the button: right after a resize the old layout is still on screen.
	const actions = page.getByRole('button', { name: 'Room actions' });
	const narrow = await page.evaluate(() => matchMedia('(max-width: 52rem)').matches);
	if (!narrow) await actions.waitFor({ state: 'detached' });
	else if ((await actions.getAttribute('aria-expanded')) !== 'true') await actions.click();
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	return page.getByRole('dialog', { name: 'Import a backlog' });
}

/** Choose an Export entry and return the file the browser downloads. */
async function exportFile(page: Page, entry: string): Promise<{ name: string; text: string }> {
	await page.getByRole('button', { name: 'Export', exact: true }).click();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: entry }).click()]);
	return { name: download.suggestedFilename(), text: readFileSync((await (download as Download).path())!, 'utf8') };
}

describe('import and export in the room', () => {
	let alice: Person;

	beforeAll(async () => {
		alice = (await hostRoom(browser, baseUrl, 'Alice Archer', 'Checkout team')).person;
		await addItem(alice.page, 'Already here');
		await until(() => titles(alice.page), (shown) => shown.length === 1, { what: 'the first item' });
	});
	afterAll(async () => {
		await alice?.context.close();
	});

	test('a Jira CSV through the dialog: detection, column mapping, preview, import, one undo', async () => {
		const { page } = alice;
		const dialog = await openImport(page);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'jira.csv', mimeType: 'text/csv', buffer: fixture('jira.csv') });
		await expect.poll(() => dialog.getByText('Read as CSV.').count()).toBe(1);

		// Recognised without help: Summary is the title, the three Labels columns are labels, Sprint is not imported.
		await expect.poll(() => dialog.getByRole('combobox', { name: 'Column 1 “Summary”' }).inputValue()).toBe('title');
		for (const column of [11, 12, 13]) expect(await dialog.getByRole('combobox', { name: `Column ${column} “Labels”` }).inputValue()).toBe('labels');
		expect(await dialog.getByRole('combobox', { name: 'Column 15 “Sprint”' }).inputValue()).toBe('');
		const preview = dialog.getByRole('table', { name: /Preview/ });
		await expect.poll(() => preview.getByRole('row').count()).toBe(5);
		expect(await preview.getByRole('row').nth(2).textContent()).toContain('Pay by card');
		expect(await preview.getByRole('row').nth(2).textContent()).not.toContain('PAY Sprint 1');

		// Map both Sprint columns to labels: the preview follows.
		await dialog.getByRole('combobox', { name: 'Column 15 “Sprint”' }).selectOption('labels');
		await dialog.getByRole('combobox', { name: 'Column 16 “Sprint”' }).selectOption('labels');
		await expect.poll(() => preview.getByRole('row').nth(2).textContent()).toContain('PAY Sprint 1, PAY Sprint 2');
		expect(await seriousViolations(page)).toEqual([]);

		await dialog.getByRole('button', { name: 'Import 4 items' }).click();
		await expect.poll(() => dialog.isVisible()).toBe(false);
		await expect.poll(() => titles(page)).toEqual(['Already here', 'Crash on "empty" cart', 'Payments', 'Pay by card', 'Refund a payment']);
		await expect.poll(() => announcement(page)).toBe('Imported 4 items. Undo takes the whole import back.');

		// The whole import is one undo step, and redo brings it all back.
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => titles(page)).toEqual(['Already here']);
		await page.getByRole('button', { name: 'Redo' }).click();
		await expect.poll(async () => (await titles(page)).length).toBe(5);
		expect(alice.errors).toEqual([]);
	});

	test('a malformed CSV: problems with their lines, nothing imported', async () => {
		const { page } = alice;
		const before = await titles(page);
		const dialog = await openImport(page);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'malformed.csv', mimeType: 'text/csv', buffer: fixture('malformed.csv') });
		await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Nothing was imported');
		const problems = dialog.getByRole('list', { name: 'Problems' });
		expect(await problems.getByRole('listitem').allTextContents()).toEqual([
			'Line 3: The row has 4 fields; the header has 3.',
			'Line 4: The row has no title.',
			'Line 5: “nine thousand” is not an estimate (a card value of 1 to 8 characters).',
			'Line 6: The file cannot be read as CSV here (Quoted field unterminated).'
		]);
		expect(await dialog.getByRole('button', { name: /^Import \d+ items?$/ }).isDisabled()).toBe(true);
		await dialog.getByRole('button', { name: 'Close' }).click();
		expect(await titles(page)).toEqual(before);
	});

	test('HTML in a pasted title is shown as text and never runs', async () => {
		const { page } = alice;
		const dialog = await openImport(page);
		await dialog.getByLabel('Or paste text').fill('Title,Description\n"<img src=x onerror=""window.__xss=1"">",<script>window.__xss=2</script>\n<b>bold</b> <script>window.__xss=3</script>,\n');
		await dialog.getByRole('button', { name: 'Read pasted text' }).click();
		await expect.poll(() => dialog.getByRole('button', { name: 'Import 2 items' }).isEnabled()).toBe(true);
		expect(await dialog.getByRole('table', { name: /Preview/ }).textContent()).toContain('<img src=x onerror="window.__xss=1">');
		await dialog.getByRole('button', { name: 'Import 2 items' }).click();
		await expect.poll(async () => (await titles(page)).slice(-2)).toEqual(['<img src=x onerror="window.__xss=1">', '<b>bold</b> <script>window.__xss=3</script>']);
		// Open it: its description is text too.
		await page.getByRole('button', { name: 'Open “<img src=x onerror="window.__xss=1">”' }).click();
		await expect.poll(() => page.getByRole('textbox', { name: 'Description' }).inputValue()).toBe('<script>window.__xss=2</script>');
		await page.waitForTimeout(300);
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		expect(await page.locator('img[src="x"], b').count()).toBe(0);
		expect(alice.errors).toEqual([]);
	});

	test('pasted Markdown makes nested items and criteria', async () => {
		const { page } = alice;
		const dialog = await openImport(page);
		await dialog.getByLabel('Or paste text').fill('- Search\n  - Filters\n    - [ ] Filter by label\n- Sort\n');
		await dialog.getByRole('button', { name: 'Read pasted text' }).click();
		await expect.poll(() => dialog.getByText('Read as Markdown.').count()).toBe(1);
		const preview = dialog.getByRole('table', { name: /Preview/ });
		expect(await preview.getByRole('row').nth(2).textContent()).toMatch(/Filters.*1Search/);
		await dialog.getByRole('button', { name: 'Import 3 items' }).click();
		await expect.poll(async () => (await titles(page)).includes('Filters')).toBe(true);
	});

	test('exports JSON, Jira CSV and Markdown files; the JSON import into the same room updates, never duplicates', async () => {
		const { page } = alice;
		const count = (await titles(page)).length;
		const json = await exportFile(page, 'Download JSON (everything)');
		expect(json.name).toBe('checkout-team.json');
		const room = JSON.parse(json.text);
		expect(room.format).toBe('refinery.room');
		expect(room.items.filter((i: { deletedAt: number | null }) => i.deletedAt === null)).toHaveLength(count);

		const csv = await exportFile(page, 'Download CSV (Jira columns)');
		expect(csv.name).toBe('checkout-team.csv');
		expect(csv.text.split('\r\n')[0]).toMatch(/^Issue Id,Parent Id,Summary,Issue Type,Status,Story Points,Description,Acceptance Criteria,Labels/);
		expect(csv.text).toContain('Pay by card');

		const md = await exportFile(page, 'Download Markdown (wiki page)');
		expect(md.name).toBe('checkout-team.md');
		expect(md.text).toMatch(/^# Checkout team\n/);
		expect(md.text).toContain('- [ ] Visa and Mastercard work');

		const dialog = await openImport(page);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'checkout-team.json', mimeType: 'application/json', buffer: Buffer.from(json.text) });
		await expect.poll(() => dialog.getByText('Read as Refinery room export (JSON).').count()).toBe(1);
		await dialog.getByRole('button', { name: `Import ${room.items.length} items` }).click();
		await expect.poll(() => announcement(page)).toBe(`Imported: 0 added, ${room.items.length} updated. The room keeps its name “Checkout team”.`);
		expect(await titles(page)).toHaveLength(count);
	});

	test('the Export entries work from the keyboard, and the printable view shows the backlog', async () => {
		const { page, context } = alice;
		const exportButton = page.getByRole('button', { name: 'Export', exact: true });
		const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
		await exportButton.focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => exportButton.getAttribute('aria-expanded')).toBe('true');
		await page.keyboard.press('Escape');
		await expect.poll(() => exportButton.getAttribute('aria-expanded')).toBe('false');
		expect(await focused()).toBe('Export');
		// A menu: it opens on its first entry, the arrows move, Enter chooses and closes it.
		await page.keyboard.press('Enter');
		await expect.poll(focused).toBe('Download JSON (everything)');
		await page.keyboard.press('ArrowDown');
		await expect.poll(focused).toBe('Download CSV (Jira columns)');
		const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
		expect(download.suggestedFilename()).toBe('checkout-team.csv');
		await expect.poll(() => page.getByRole('menu').count()).toBe(0);
		await exportButton.click();
		const [print] = await Promise.all([context.waitForEvent('page'), page.getByRole('menuitem', { name: 'Printable view' }).click()]);
		await print.waitForURL(/\/r\/[A-Za-z0-9_-]{22}\/print#k=/);
		await expect.poll(() => print.getByRole('heading', { level: 1 }).textContent()).toBe('Checkout team');
		await expect.poll(() => print.getByRole('heading', { name: 'Pay by card' }).count()).toBe(1);
		expect(await print.getByRole('list', { name: 'Acceptance criteria' }).first().textContent()).toContain('Visa and Mastercard work');
		await print.emulateMedia({ media: 'print' });
		expect(await print.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
		expect(await seriousViolations(print)).toEqual([]);
		await print.close();
	});
});

describe('import without surprises', () => {
	let bob: Person;

	beforeAll(async () => {
		bob = (await hostRoom(browser, baseUrl, 'Bob Baker', 'Mobile team')).person;
	});
	afterAll(async () => {
		await bob?.context.close();
	});

	test('a PNG renamed .csv and an empty file say what they are; one item reads "1 item"', async () => {
		const { page } = bob;
		const dialog = await openImport(page);
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'backlog.csv', mimeType: 'text/csv', buffer: png });
		const problems = dialog.getByRole('list', { name: 'Problems' });
		await expect.poll(() => problems.textContent()).toBe('This file is not text. Choose a CSV, Markdown, plain text or JSON file.');
		expect(await dialog.getByRole('alert').textContent()).toBe('Nothing was imported.');
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
		await expect.poll(() => problems.textContent()).toBe('The file is empty.');
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from('Title\nOnly one\n') });
		await expect.poll(() => dialog.getByRole('table', { name: /Preview/ }).getByRole('caption').textContent()).toBe('Preview: 1 item');
		expect(await dialog.getByText(/No column is used as the title/).count()).toBe(0);
		await dialog.getByRole('button', { name: 'Close' }).click();
	});

	test('reopening Import starts clean; the file hint is never under the paste box', async () => {
		const { page } = bob;
		for (const [width, height] of [
			[390, 844],
			[1280, 800],
			[1920, 1080]
		]) {
			await page.setViewportSize({ width, height });
			const dialog = await openImport(page);
			const hint = await dialog.getByText('CSV from Jira, Azure DevOps').boundingBox();
			const file = await dialog.getByLabel('Backlog file').boundingBox();
			const paste = await dialog.getByLabel('Or paste text').boundingBox();
			for (const box of [hint!, file!]) {
				const apart = box.x + box.width <= paste!.x || paste!.x + paste!.width <= box.x || box.y + box.height <= paste!.y || paste!.y + paste!.height <= box.y;
				expect(apart, `at ${width}×${height}`).toBe(true);
			}
			await dialog.getByLabel('Or paste text').fill('One\nTwo\n');
			await dialog.getByRole('button', { name: 'Read pasted text' }).click();
			await expect.poll(() => dialog.getByRole('button', { name: 'Import 2 items' }).isEnabled()).toBe(true);
			await dialog.getByRole('button', { name: 'Close' }).click();
			const again = await openImport(page);
			expect(await again.getByLabel('Or paste text').inputValue()).toBe('');
			expect(await again.getByRole('table', { name: /Preview/ }).count()).toBe(0);
			expect(await again.getByRole('button', { name: /^Import \d+ items?$/ }).isDisabled()).toBe(true);
			await again.getByRole('button', { name: 'Close' }).click();
		}
		await page.setViewportSize({ width: 1280, height: 800 });
	});

	test('a room export from another room asks before taking its name, and says what happened', async () => {
		const { page } = bob;
		const other = {
			format: 'refinery.room',
			schemaVersion: 1,
			room: { name: 'Web team' },
			items: [{ id: 'from-web-1', title: 'From the web team' }]
		};
		let dialog = await openImport(page);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'web-team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) });
		const take = dialog.getByRole('checkbox', { name: 'Rename this room to “Web team”, the name in the file' });
		await expect.poll(() => take.isChecked()).toBe(false);
		await dialog.getByRole('button', { name: 'Import 1 item' }).click();
		await expect.poll(() => announcement(page)).toBe('Imported: 1 added, 0 updated. The room keeps its name “Mobile team”.');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Mobile team');

		dialog = await openImport(page);
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'web-team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) });
		await dialog.getByRole('checkbox', { name: 'Rename this room to “Web team”, the name in the file' }).check();
		await dialog.getByRole('button', { name: 'Import 1 item' }).click();
		await expect.poll(() => announcement(page)).toBe('Imported: 0 added, 1 updated. The room is now called “Web team”.');
	});

	test('pasting several lines into the new-item field offers one item per line', async () => {
		const { page } = bob;
		const before = await titles(page);
		const paste = (text: string) =>
			page.getByRole('textbox', { name: 'New item title' }).evaluate((input, text) => {
				const data = new DataTransfer();
				data.setData('text/plain', text);
				input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
			}, text);
		await paste('- Sign in with Apple\n- Offline mode\n\n- Push reminders\n');
		await page.getByRole('button', { name: 'Add 3 items' }).click();
		await expect.poll(() => titles(page)).toEqual([...before, 'Sign in with Apple', 'Offline mode', 'Push reminders']);
		await expect.poll(() => announcement(page)).toBe('3 items added. Undo takes them all back.');
		// One undo step takes them all back.
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => titles(page)).toEqual(before);
		// Or keep them as one title.
		await paste('Tablet\nlayout');
		await page.getByRole('button', { name: 'Keep as one title' }).click();
		expect(await page.getByRole('textbox', { name: 'New item title' }).inputValue()).toBe('Tablet layout');
		expect(bob.errors).toEqual([]);
	});
});

describe('links back to the tracker', () => {
	let carol: Person;

	beforeAll(async () => {
		carol = (await hostRoom(browser, baseUrl, 'Carol Cho', 'Payments refinement')).person;
	});
	afterAll(async () => {
		await carol?.context.close();
	});

	test('a Jira import links each row and the panel to its issue; the Jira update CSV carries every key and names the parent of a new child', async () => {
		const { page } = carol;
		const dialog = await openImport(page);
		await dialog.getByLabel('Tracker address (optional)').fill('https://acme.atlassian.net');
		await dialog.getByLabel('Backlog file').setInputFiles({ name: 'jira.csv', mimeType: 'text/csv', buffer: fixture('jira.csv') });
		await dialog.getByRole('button', { name: 'Import 4 items' }).click();
		await expect.poll(() => titles(page)).toHaveLength(4);
		const link = page.getByRole('link', { name: 'Jira PAY-2 (opens in a new tab)' });
		expect(await link.getAttribute('href')).toBe('https://acme.atlassian.net/browse/PAY-2');
		expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
		await page.getByRole('button', { name: 'Open “Pay by card”' }).click();
		const pane = page.getByRole('complementary');
		await expect.poll(() => pane.getByRole('link', { name: /^Jira PAY-2/ }).getAttribute('href')).toBe('https://acme.atlassian.net/browse/PAY-2');
		await addItem(page, 'Not from Jira');
		const jira = await exportFile(page, 'Download CSV to update Jira');
		expect(jira.name).toBe('payments-refinement.jira.csv');
		const lines = jira.text.split('\r\n');
		expect(lines[0]).toMatch(/^Issue id,Issue key,Parent,Summary,Issue Type,Status,Story Points,Description,Labels/);
		for (const key of ['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']) expect(lines.some((line) => line.includes(`,${key},`))).toBe(true);
		expect(lines.some((line) => line.startsWith(',,,Not from Jira,Story,To Do'))).toBe(true);
		const azure = await exportFile(page, 'Download CSV to update Azure DevOps (Agile)');
		expect(azure.text.split('\r\n')[0]).toBe('ID,Work Item Type,Title,State,Story Points,Description,Tags,Parent');
		expect(await seriousViolations(page)).toEqual([]);
		expect(carol.errors).toEqual([]);
	});
});

describe('unsynced changes in a room you left', () => {
	test('the home page shows them beside the room, and sends them when the network is back', async () => {
		const { person: dana, links } = await hostRoom(browser, baseUrl, 'Dana Diaz', 'Left behind');
		const page = dana.page;
		try {
			await addItem(page, 'Synced first');
			await waitSynced(page);
			// From here the app loads with no network (the service worker controls the page).
			await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), (ready) => ready, { what: 'the service worker controls the page' });
			await dana.context.setOffline(true);
			await until(() => page.getByRole('status', { name: 'Connection' }).textContent(), (t) => t?.includes('Offline') ?? false, { what: 'offline' });
			await addItem(page, 'Made offline 1');
			await addItem(page, 'Made offline 2');
			await page.goto('/');
			const entry = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Left behind' }) });
			await expect.poll(() => entry.getByTestId('unsynced').textContent()).toBe('2 changes not yet on the server');

			await dana.context.setOffline(false);
			await expect.poll(() => entry.getByTestId('unsynced').count(), { timeout: 20_000 }).toBe(0);
			// Someone else opening the room now gets them from the relay.
			const erin = await joinRoom(browser, baseUrl, links.edit!, 'Erin Evans');
			await expect.poll(() => titles(erin.page)).toEqual(['Synced first', 'Made offline 1', 'Made offline 2']);
			await erin.context.close();
			expect(dana.errors).toEqual([]);
		} finally {
			await dana.context.close();
		}
	});
});
