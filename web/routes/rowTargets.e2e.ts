import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchBrowser, type Person } from '../testing/browser';
import { presentPeople, seedMeetingRoom } from '../testing/meetingRoom';
import { hostRoom } from '../testing/people';
import { until } from '../testing/until';

// Row controls are touch targets on phones (issue 13): at least 44 × 44 px where fingers point,
// while desktop rows keep their size.

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/**
 * Every control of the rows in view, with the size a finger gets: its own box, or for a tick box
 * the label around it (a tap on the label ticks it).
 */
function rowTargets(page: Page): Promise<{ name: string; width: number; height: number }[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('li[data-item-id] :is(button, a[href], input, textarea, select)')]
			.map((control) => {
				const target = control instanceof HTMLInputElement && control.type === 'checkbox' ? (control.closest('label') ?? control) : control;
				const box = target.getBoundingClientRect();
				const spoken = control.querySelector('.visually-hidden')?.textContent;
				const name = control.getAttribute('aria-label') ?? spoken ?? control.textContent?.trim().slice(0, 40) ?? control.tagName;
				return { name, width: box.width, height: box.height, top: box.top, bottom: box.bottom, shown: getComputedStyle(control).display !== 'none' };
			})
			.filter((control) => control.shown && control.bottom > 0 && control.top < innerHeight)
			.map(({ name, width, height }) => ({ name, width: Math.round(width * 10) / 10, height: Math.round(height * 10) / 10 }))
	);
}

describe('row controls on phones', () => {
	let alice: Person;
	let page: Page;
	let leave: () => void = () => undefined;

	beforeAll(async () => {
		const hosted = await hostRoom(browser, baseUrl, 'Alice Archer', 'Touch targets');
		alice = hosted.person;
		page = alice.page;
		await seedMeetingRoom(baseUrl, hosted.links.edit!);
		await until(() => page.locator('[aria-posinset="1"]').getAttribute('aria-setsize'), (size) => size === '40', { what: 'the 40 rows', timeout: 20_000 });
		// Two people on the first item, so its row shows avatars (follow buttons).
		({ leave } = await presentPeople(baseUrl, hosted.links.edit!, [
			{ id: 'bob', name: 'Bob Baker', color: '#0b6e99', viewing: 'meeting-1' },
			{ id: 'carol', name: 'Carol Chen', color: '#8e3b9e', viewing: 'meeting-1' }
		]));
	});

	afterAll(async () => {
		leave();
		await alice?.context.close();
	});

	test('at 390×844 every row control is at least 44 × 44 px; at 1280×800 rows stay 56 px tall', async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.evaluate(() => window.scrollTo(0, 0));
		await expect.poll(() => page.getByRole('button', { name: /^Follow Bob Baker/ }).count()).toBe(1);
		const top = await rowTargets(page);
		// Then further down, where the first parent's row (with its collapse toggle) is.
		await page.locator('li[data-item-id="meeting-7"]').evaluate((row) => row.scrollIntoView({ block: 'center' }));
		const lower = await rowTargets(page);
		const targets = [...top, ...lower];
		// Avatars, a collapse toggle, tick boxes, titles and menus were all measured.
		expect(targets.filter((target) => target.name.startsWith('Follow')).length).toBeGreaterThanOrEqual(2);
		expect(targets.some((target) => target.name.startsWith('Children of'))).toBe(true);
		expect(targets.length).toBeGreaterThan(12);
		expect(targets.filter((target) => target.width < 44 || target.height < 44)).toEqual([]);

		await page.setViewportSize({ width: 1280, height: 800 });
		await expect.poll(() => page.locator('li[data-item-id]').first().evaluate((row) => (row as HTMLElement).offsetHeight)).toBe(56);
	});
});
