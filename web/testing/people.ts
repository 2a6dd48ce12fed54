import type { Browser } from 'playwright-core';
import { newPerson, type Person } from './browser';
import { createRoom, enterName, shareLinks, waitSynced } from './room';

/** A new person who answers the name question and creates a room; returns them with its links. */
export async function hostRoom(
	browser: Browser,
	baseUrl: string,
	name: string,
	roomName: string
): Promise<{ person: Person; links: { edit: string | null; view: string } }> {
	const person = await newPerson(browser, baseUrl);
	await person.page.goto('/');
	await enterName(person.page, name);
	await createRoom(person.page, roomName);
	return { person, links: await shareLinks(person.page) };
}

/** A new person who opens a shared link, answers the name question, and waits until synced. */
export async function joinRoom(browser: Browser, baseUrl: string, link: string, name: string): Promise<Person> {
	const person = await newPerson(browser, baseUrl);
	await person.page.goto(link);
	await enterName(person.page, name);
	await waitSynced(person.page);
	return person;
}
