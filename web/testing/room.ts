import type { Page } from 'playwright-core';
import { until } from './until';

/**
 * Steps a person takes in the UI, found by role and name as a screen reader would. Shared by the
 * browser tests so each test reads as what people do.
 */

/** Answer the first-visit question for a display name. */
export async function enterName(page: Page, name: string): Promise<void> {
	await page.getByRole('textbox', { name: 'Your name' }).fill(name);
	await page.getByRole('button', { name: 'Continue' }).click();
}

/** On the home page: create a room and wait until it is open and synced. */
export async function createRoom(page: Page, roomName: string): Promise<void> {
	await page.getByRole('textbox', { name: 'Room name' }).fill(roomName);
	await page.getByRole('button', { name: 'Create room' }).click();
	await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}#k=/);
	await waitSynced(page);
}

/** Wait until the status line says the room is connected and synced. */
export async function waitSynced(page: Page): Promise<void> {
	await until(
		() => page.getByRole('status', { name: 'Connection' }).textContent(),
		(text) => text?.includes('Connected and synced') ?? false,
		{ what: 'connected and synced' }
	);
}

/** Read the edit and view-only links from the share dialog, then close it. */
export async function shareLinks(page: Page): Promise<{ edit: string | null; view: string }> {
	await page.getByRole('button', { name: 'Share' }).click();
	const dialog = page.getByRole('dialog', { name: 'Share this room' });
	const viewField = dialog.getByRole('textbox', { name: 'View-only link' });
	await until(() => viewField.inputValue(), (value) => value.includes('#v='), { what: 'a view-only link' });
	const editField = dialog.getByRole('textbox', { name: 'Edit link' });
	const edit = (await editField.count()) > 0 ? await editField.inputValue() : null;
	const view = await viewField.inputValue();
	await dialog.getByRole('button', { name: 'Close' }).click();
	return { edit, view };
}

/** Add an item through the add form. */
export async function addItem(page: Page, title: string): Promise<void> {
	await page.getByRole('textbox', { name: 'New item title' }).fill(title);
	await page.getByRole('button', { name: 'Add item' }).click();
}

/** With rows selected: set their status through the bulk toolbar's menu (a click, then the value). */
export async function bulkSetStatus(page: Page, status: string): Promise<void> {
	await page.getByRole('button', { name: 'Set status of selected' }).click();
	await page.getByRole('menuitem', { name: status, exact: true }).click();
}

/** The titles in the backlog, in the order shown (editable or read-only rows alike). */
export async function titles(page: Page): Promise<string[]> {
	return page
		.getByRole('list', { name: 'Backlog items in priority order' })
		.getByRole('listitem')
		.evaluateAll((rows) =>
			rows.map((row) => row.querySelector<HTMLTextAreaElement>('textarea.title')?.value ?? row.querySelector('.title-text')?.textContent ?? '')
		);
}

/**
 * Choose an action in a row's menu ("Actions for “title”"): 'Open', 'Move up', 'Move down',
 * 'Move to the top', 'Move to the bottom', 'Estimate with planning poker', 'Split…', 'Delete'.
 * Returns false, with the menu closed again, when the action is disabled there.
 * @example await rowAction(page, 'Pay by card', 'Move down')
 */
export async function rowAction(page: Page, title: string, action: string): Promise<boolean> {
	await page.getByRole('button', { name: `Actions for “${title}”`, exact: true }).click();
	const item = page.getByRole('menuitem', { name: action, exact: true });
	await item.waitFor();
	if ((await item.getAttribute('aria-disabled')) === 'true') {
		await page.keyboard.press('Escape');
		await page.getByRole('menu').waitFor({ state: 'detached' });
		return false;
	}
	await item.click();
	return true;
}

/** What the aria-live region last said. */
export function announcement(page: Page): Promise<string | null> {
	return page.getByTestId('announcer').textContent();
}
