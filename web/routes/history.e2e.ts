import type { Browser, Locator, Page } from 'playwright-core';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { addCriterion } from '../../shared/criteria';
import { getItems, getRankLog } from '../../shared/doc';
import { setEstimate } from '../../shared/estimates';
import { exportRoom } from '../../shared/exportJson';
import { createItem, deleteItems, setItemText } from '../../shared/items';
import { moveItem } from '../../shared/order';
import { localOrigin } from '../../shared/origins';
import { splitItem } from '../../shared/split';
import { seriousViolations } from '../testing/axe';
import { launchBrowser, type Person } from '../testing/browser';
import { hostRoom, joinRoom } from '../testing/people';
import { titles } from '../testing/room';
import { linkParts } from '../testing/seed';
import { until } from '../testing/until';

const baseUrl = inject('baseUrl');
const raw = localOrigin('raw-client');
let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	for (const person of people) await person.context.close();
	await browser?.close();
});

/** A stock y-websocket client in this process (a script, an attacker's or a teammate's tool). */
async function rawClient(link: string): Promise<{ doc: Y.Doc; done: () => Promise<void> }> {
	const { roomId, key } = linkParts(link);
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', roomId, doc, {
		params: { key },
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await until(() => provider.synced, (synced) => synced, { what: 'the raw client synced' });
	return {
		doc,
		async done() {
			await until(() => (provider.ws?.bufferedAmount ?? 0) === 0, (sent) => sent, { what: 'the raw client sent' });
			await new Promise((resolve) => setTimeout(resolve, 300));
			provider.destroy();
		}
	};
}

/** The room as its JSON export (what every item, criterion, estimate, label, rank and parent come to). */
const exported = (doc: Y.Doc) => JSON.stringify({ ...exportRoom(doc, new Date(0)), name: '' });

async function openHistory(page: Page) {
	await page.getByRole('button', { name: 'History', exact: true }).click();
	return page.getByRole('dialog', { name: 'Room history' });
}

async function saveNamedVersion(page: Page, name: string) {
	const dialog = await openHistory(page);
	await dialog.getByRole('textbox', { name: 'Name (optional)' }).fill(name);
	await dialog.getByRole('button', { name: 'Save a version' }).click();
	// Under a loaded machine the save and the list that follows can take a while; an error would show as an alert.
	const seen = await until(
		async () => (await dialog.getByRole('alert').count()) ? `alert: ${await dialog.getByRole('alert').first().textContent()}` : await dialog.getByRole('list', { name: 'Versions' }).textContent(),
		(text) => (text?.includes(name) || text?.startsWith('alert:')) ?? false,
		{ what: `version ${name}`, timeout: 40_000 }
	);
	expect(seen).not.toMatch(/^alert:/);
	return dialog;
}

async function chooseSince(dialog: Locator, name: string) {
	const select = dialog.getByRole('combobox', { name: 'Changes since' });
	await select.selectOption((await select.locator('option', { hasText: name }).getAttribute('value'))!);
}

describe('room history', () => {
	test('a raw client wipes every item; the owner restores the last version from History and everything is back for everyone; a view link sees history without restore; keys never in URLs', { timeout: 150_000 }, async () => {
		const { person: alice, links } = await hostRoom(browser, baseUrl, 'Alice Owner', 'Wipe test');
		people.push(alice);
		const requests: string[] = [];
		alice.page.on('request', (request) => requests.push(request.url()));

		const team = await rawClient(links.edit!);
		const { doc } = team;
		for (let i = 0; i < 6; i++) createItem(doc, { id: `item-${i}`, title: `Story ${i}`, description: `Why ${i}`, labels: i % 2 ? ['backend'] : [] }, raw);
		addCriterion(doc, 'item-1', 'Shows an error', raw, 'crit-1');
		addCriterion(doc, 'item-2', 'Card', raw, 'crit-2');
		setEstimate(doc, 'item-1', '5', raw);
		splitItem(doc, 'item-2', [{ id: 'child-2', title: 'Pay by card', criteria: ['crit-2'] }], raw);
		moveItem(doc, 'item-5', 'top', raw);
		deleteItems(doc, ['item-4'], raw);
		await team.done();
		await until(() => titles(alice.page), (shown) => shown.length === 6, { what: 'the room filled' });

		const bob = await joinRoom(browser, baseUrl, links.view, 'Bob Viewer');
		people.push(bob);
		bob.page.on('request', (request) => requests.push(request.url()));

		const dialog = await saveNamedVersion(alice.page, 'Before the wipe');
		expect(await seriousViolations(alice.page)).toEqual([]);
		await dialog.getByRole('button', { name: 'Close' }).click();
		const before = await rawClient(links.edit!);
		const expected = exported(before.doc);
		await before.done();

		// Someone with the edit link removes every item from the map, trash included, and the ranks.
		const attacker = await rawClient(links.edit!);
		attacker.doc.transact(() => {
			for (const id of [...getItems(attacker.doc).keys()]) getItems(attacker.doc).delete(id);
			getRankLog(attacker.doc).delete(0, getRankLog(attacker.doc).length);
		}, raw);
		await attacker.done();
		await until(() => titles(alice.page), (shown) => shown.length === 0, { what: 'the wipe at Alice' });
		await until(() => titles(bob.page), (shown) => shown.length === 0, { what: 'the wipe at Bob' });

		// Bob, with the view link, sees the history but no way to restore or save.
		const bobs = await openHistory(bob.page);
		await until(() => bobs.getByRole('list', { name: 'Versions' }).textContent(), (text) => text?.includes('Before the wipe') ?? false, { what: 'Bob sees the version' });
		expect(await bobs.getByRole('button', { name: /Restore/ }).count()).toBe(0);
		expect(await bobs.getByRole('button', { name: 'Save a version' }).count()).toBe(0);
		await bobs.getByRole('button', { name: 'Close' }).click();

		const history = await openHistory(alice.page);
		const versions = history.getByRole('list', { name: 'Versions' });
		await versions.getByRole('listitem').filter({ hasText: 'Before the wipe' }).getByRole('button', { name: /Restore the room to/ }).click();
		await versions.getByRole('button', { name: 'Yes, restore' }).click();
		await until(() => titles(bob.page), (shown) => shown.length === 6, { what: 'the restore at Bob' });
		const after = await rawClient(links.view);
		expect(exported(after.doc)).toBe(expected);
		await after.done();
		expect(await titles(bob.page)).toEqual(await titles(alice.page));
		// A version of the wiped room was kept before the restore.
		await until(() => versions.textContent(), (text) => text?.includes('Before a restore') ?? false, { what: 'the before-restore version' });

		const { editKey, viewKey } = { editKey: linkParts(links.edit!).key, viewKey: linkParts(links.view).key };
		const api = requests.filter((url) => url.includes('/api/rooms/'));
		expect(api.length).toBeGreaterThan(3);
		for (const url of requests) {
			expect(url).not.toContain(editKey);
			if (url.includes('/api/')) expect(url).not.toContain(viewKey);
		}
	});

	test('a scripted meeting between two versions: "Since the last meeting" lists exactly its changes; one item restored alone, and undone', { timeout: 150_000 }, async () => {
		const { person: alice, links } = await hostRoom(browser, baseUrl, 'Alice Host', 'Meeting test');
		people.push(alice);
		const setup = await rawClient(links.edit!);
		for (let i = 0; i < 6; i++) createItem(setup.doc, { id: `m-${i}`, title: `Topic ${i}` }, raw);
		addCriterion(setup.doc, 'm-3', 'Works offline', raw, 'mc-3');
		await setup.done();
		await until(() => titles(alice.page), (shown) => shown.length === 6, { what: 'the agenda' });
		const first = await saveNamedVersion(alice.page, 'Start of meeting');
		await first.getByRole('button', { name: 'Close' }).click();

		// The meeting, by a teammate's client: one of each kind of change.
		const meeting = await rawClient(links.edit!);
		createItem(meeting.doc, { id: 'm-new', title: 'Brand new' }, raw);
		setItemText(meeting.doc, 'm-1', 'title', 'Topic one, reworded', raw);
		moveItem(meeting.doc, 'm-0', { before: 'm-4' }, raw);
		setEstimate(meeting.doc, 'm-2', '8', raw);
		splitItem(meeting.doc, 'm-3', [{ id: 'm-3a', title: 'Offline part', criteria: ['mc-3'] }], raw);
		deleteItems(meeting.doc, ['m-5'], raw);
		await meeting.done();
		await until(() => titles(alice.page), (shown) => shown.includes('Brand new') && !shown.includes('Topic 5'), { what: 'the meeting at Alice' });
		const second = await saveNamedVersion(alice.page, 'End of meeting');
		await chooseSince(second, 'Start of meeting');
		const changes = second.getByRole('list', { name: 'Since the last meeting' });
		await until(() => second.getByText(/changes? in \d+ items?/).textContent(), (text) => text === '6 changes in 6 items', { what: 'the count' });
		const lines = async () => (await changes.locator(':scope > li').evaluateAll((items) => items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim()))).sort();
		expect(await lines()).toEqual(
			[
				'Topic 0 Moved down 3 places',
				'Topic one, reworded Title: “Topic 1” → “Topic one, reworded”',
				'Topic 2 Estimate: nothing → “8”',
				'Topic 3 Split into “Offline part”',
				'Brand new Added',
				'Topic 5 Moved to the trash'
			].sort()
		);

		// Each change opens its item.
		await changes.getByRole('button', { name: 'Open “Topic 2”' }).click();
		await until(() => alice.page.getByRole('heading', { level: 2, name: 'Topic 2' }).count(), (n) => n === 1, { what: 'the item opened' });
		await alice.page.getByRole('button', { name: 'Show this item’s history' }).click();
		const over = alice.page.getByRole('list', { name: 'This item over the versions' });
		await until(() => over.getByRole('listitem').count(), (n) => n >= 2, { what: 'the item history' });
		const entry = async (which: Locator) => (await which.textContent())?.replace(/\s+/g, ' ');
		expect(await entry(over.getByRole('listitem').first())).toContain('Estimate 8');
		expect(await entry(over.getByRole('listitem').last())).toContain('Estimate —');

		// Restore the deleted item alone: it is back, the rest of the meeting stays; then undo.
		const again = await openHistory(alice.page);
		await chooseSince(again, 'Start of meeting');
		await again.getByRole('button', { name: 'Restore “Topic 5” to this version' }).click();
		await until(() => titles(alice.page), (shown) => shown.includes('Topic 5'), { what: 'Topic 5 restored' });
		const shown = await titles(alice.page);
		expect(shown).toContain('Topic one, reworded');
		expect(shown).toContain('Brand new');
		await again.getByRole('button', { name: 'Close' }).click();
		await alice.page.getByRole('button', { name: 'Undo', exact: true }).click();
		await until(() => titles(alice.page), (now) => !now.includes('Topic 5'), { what: 'the restore undone' });

		// Someone joining after the meeting sees its items marked as changed.
		const carol = await joinRoom(browser, baseUrl, links.view, 'Carol Late');
		people.push(carol);
		await until(() => carol.page.getByRole('img', { name: 'Changed since the last meeting' }).count(), (n) => n >= 4, { what: 'unread marks' });
	});
});
