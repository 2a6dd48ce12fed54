import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, newPerson, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { addItem, announcement, enterName, rowAction, shareLinks, titles, waitSynced } from '../testing/room';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const join = (link: string, name: string) => joinRoom(browser, baseUrl, link, name);

describe('a room shared by three people', () => {
	let alice: Person;
	let bob: Person;
	let links: { edit: string | null; view: string };

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Checkout team');
		alice = hosted.person;
		links = hosted.links;
		expect(links.edit).toMatch(/\/r\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{22}$/);
		expect(links.view).toMatch(/\/r\/[A-Za-z0-9_-]{22}#v=[A-Za-z0-9_-]{24}$/);
		bob = await join(links.edit!, 'Bob Baker');
	});

	afterAll(async () => {
		await alice?.context.close();
		await bob?.context.close();
	});

	test('B sees the room A created and both see each other', async () => {
		await expect.poll(() => bob.page.getByRole('heading', { level: 1 }).textContent()).toBe('Checkout team');
		for (const { page } of [alice, bob]) {
			const people = page.getByRole('list', { name: 'People in this room' }).getByRole('listitem');
			await expect.poll(() => people.count()).toBe(2);
		}
		await expect.poll(() => alice.page.getByRole('list', { name: 'People in this room' }).textContent()).toContain('Bob Baker');
		await expect.poll(() => alice.page.getByRole('list', { name: 'People in this room' }).textContent()).toContain('Alice Archer (you)');
		await expect.poll(() => bob.page.getByRole('list', { name: 'People in this room' }).textContent()).toContain('Bob Baker (you)');
		expect(await bob.page.getByRole('list', { name: 'People in this room' }).textContent()).toContain('Alice Archer');
	});

	test('both add items and type in the same title at once, and end with the same backlog', async () => {
		await Promise.all([
			(async () => {
				for (const title of ['Pay by card', 'Guest checkout']) await addItem(alice.page, title);
			})(),
			(async () => {
				for (const title of ['Saved addresses', 'Order history']) await addItem(bob.page, title);
			})()
		]);
		for (const { page } of [alice, bob]) await expect.poll(async () => (await titles(page)).length).toBe(4);
		const first = (await titles(alice.page))[0];

		const aliceTitle = alice.page.getByRole('textbox', { name: 'Title of item 1' });
		const bobTitle = bob.page.getByRole('textbox', { name: 'Title of item 1' });
		await aliceTitle.click();
		await aliceTitle.press('End');
		await bobTitle.click();
		await bobTitle.press('Home');
		await Promise.all([aliceTitle.pressSequentially(' now', { delay: 15 }), bobTitle.pressSequentially('Must: ', { delay: 15 })]);

		const expected = `Must: ${first} now`;
		await expect.poll(() => aliceTitle.inputValue()).toBe(expected);
		await expect.poll(() => bobTitle.inputValue()).toBe(expected);
		await expect.poll(() => titles(bob.page)).toEqual(await titles(alice.page));
		// Bob's caret stayed where he was typing while Alice typed at the end.
		expect(await bobTitle.evaluate((input: HTMLInputElement) => input.selectionStart)).toBe('Must: '.length);
	});

	test('A reorders from the keyboard, it is announced, and B sees the same order', async () => {
		const before = await titles(alice.page);
		const last = alice.page.getByRole('textbox', { name: 'Title of item 4' });
		await last.focus();
		await last.press('Alt+Shift+ArrowUp');
		const moved = [before[3], ...before.slice(0, 3)];
		await expect.poll(() => titles(alice.page)).toEqual(moved);
		await expect.poll(() => announcement(alice.page)).toBe(`“${before[3]}” moved to position 1 of 4.`);
		// Focus stays on the moved item's title, now the first.
		expect(await alice.page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(before[3]);

		await rowAction(alice.page, before[3], 'Move down');
		const down = [before[0], before[3], before[1], before[2]];
		await expect.poll(() => titles(alice.page)).toEqual(down);
		await expect.poll(() => titles(bob.page)).toEqual(down);
	});

	test('A’s undo reverts A’s change and not B’s', async () => {
		await addItem(alice.page, 'Alice’s mistake');
		const bobTitle = bob.page.getByRole('textbox', { name: 'Title of item 2' });
		await bobTitle.click();
		await bobTitle.press('End');
		await bobTitle.pressSequentially(' (Bob)');
		const bobValue = await bobTitle.inputValue();
		await expect.poll(async () => (await titles(alice.page)).includes(bobValue)).toBe(true);
		await expect.poll(async () => (await titles(bob.page)).includes('Alice’s mistake')).toBe(true);

		await alice.page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(async () => (await titles(bob.page)).includes('Alice’s mistake')).toBe(false);
		expect(await titles(bob.page)).toContain(bobValue);
		expect(await titles(alice.page)).toContain(bobValue);

		// The keyboard shortcut redoes it.
		await alice.page.keyboard.press('Control+Shift+Z');
		await expect.poll(async () => (await titles(bob.page)).includes('Alice’s mistake')).toBe(true);
		await rowAction(alice.page, 'Alice’s mistake', 'Delete');
		await expect.poll(async () => (await titles(bob.page)).includes('Alice’s mistake')).toBe(false);
	});

	test('C with the view-only link sees the backlog read-only, and a forced write is not stored', async () => {
		const carol = await join(links.view, 'Carol Chen');
		const expected = await titles(alice.page);
		await expect.poll(() => titles(carol.page)).toEqual(expected);
		expect(await carol.page.getByText('View only', { exact: true }).count()).toBe(1);
		expect(await carol.page.getByRole('textbox').count()).toBe(0);
		expect(await carol.page.getByRole('button', { name: 'Add item' }).count()).toBe(0);
		// The row menu of a viewer only opens the item.
		await carol.page.getByRole('button', { name: `Actions for “${expected[0]}”` }).click();
		await expect.poll(() => carol.page.getByRole('menuitem').allTextContents()).toEqual(['Open']);
		await carol.page.keyboard.press('Escape');
		expect(await carol.page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
		const share = await shareLinks(carol.page);
		expect(share).toEqual({ edit: null, view: links.view });

		// Force a write from C's console, past the read-only UI.
		await carol.page.evaluate(() => {
			const { doc } = (window as unknown as { __refinery: { doc: import('yjs').Doc } }).__refinery;
			const items = doc.getMap('items') as import('yjs').Map<import('yjs').Map<unknown>>;
			for (const item of items.values()) (item.get('title') as import('yjs').Text).insert(0, 'HACKED ');
		});
		expect((await titles(carol.page)).every((title) => title.startsWith('HACKED '))).toBe(true);
		// Alice's edit after the forced write arrives, so the relay has handled C's frames by then.
		await addItem(alice.page, 'After the attempt');
		await expect.poll(async () => (await titles(carol.page)).includes('After the attempt')).toBe(true);
		expect((await titles(alice.page)).some((title) => title.includes('HACKED'))).toBe(false);

		// A fresh viewer loads only what the relay stored.
		const dave = await join(links.view, 'Dave Diaz');
		await expect.poll(() => titles(dave.page)).toEqual(await titles(alice.page));
		expect((await titles(dave.page)).some((title) => title.includes('HACKED'))).toBe(false);
		await carol.context.close();
		await dave.context.close();
	});

	test('offline, A keeps working; the status counts the changes, and they reach B when back', async () => {
		await alice.context.setOffline(true);
		const status = alice.page.getByRole('status', { name: 'Connection' });
		await expect.poll(() => status.textContent()).toContain('Offline');
		await addItem(alice.page, 'Written offline');
		await expect.poll(() => status.textContent()).toContain('Offline: 1 change saved on this device, not yet on the server');
		expect(await titles(bob.page)).not.toContain('Written offline');
		await alice.context.setOffline(false);
		await waitSynced(alice.page);
		await expect.poll(async () => (await titles(bob.page)).includes('Written offline')).toBe(true);
		await expect.poll(() => titles(bob.page)).toEqual(await titles(alice.page));
	});

	test('axe finds no serious or critical violation in the room, for editors and viewers', async () => {
		expect(await seriousViolations(alice.page)).toEqual([]);
		await alice.page.getByRole('button', { name: 'Share' }).click();
		await expect.poll(() => alice.page.getByRole('img', { name: /^QR code of/ }).count()).toBe(1);
		expect(await seriousViolations(alice.page)).toEqual([]);
		await alice.page.keyboard.press('Escape');
		// The dark theme's colors pass too.
		await alice.page.emulateMedia({ colorScheme: 'dark' });
		expect(await seriousViolations(alice.page)).toEqual([]);
		await alice.page.emulateMedia({ colorScheme: 'light' });
		const viewer = await join(links.view, 'Erin Evans');
		expect(await seriousViolations(viewer.page)).toEqual([]);
		await viewer.context.close();
	});

	test('a named person opening a shared link gets the room through the one socket the app opened as it started', async () => {
		const frank = await newPerson(browser, baseUrl);
		await frank.page.goto('/');
		await enterName(frank.page, 'Frank Fisher');
		const sockets: string[] = [];
		frank.page.on('websocket', (socket) => sockets.push(socket.url()));
		await frank.page.goto(links.edit!);
		await waitSynced(frank.page);
		expect(await frank.page.evaluate(() => (window as unknown as { __refinery: { openedEarly(): boolean } }).__refinery.openedEarly())).toBe(true);
		expect(sockets).toHaveLength(1);
		expect(await titles(frank.page)).toEqual(await titles(alice.page));
		// And the room is edited through it.
		await addItem(frank.page, 'Through the first socket');
		await expect.poll(async () => (await titles(alice.page)).includes('Through the first socket')).toBe(true);
		await frank.context.close();
	});

	test('no page error happened', () => {
		expect([...alice.errors, ...bob.errors]).toEqual([]);
	});
});
