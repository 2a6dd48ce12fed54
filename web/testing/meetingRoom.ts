import { addBlocker } from '../../shared/dependencies';
import { setEstimate } from '../../shared/estimates';
import { ITEM_KINDS, ITEM_STATUSES } from '../../shared/item';
import { createItem } from '../../shared/items';
import { systemOrigin } from '../../shared/origins';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { linkParts, throughRelay } from './seed';
import { until } from './until';

const origin = systemOrigin('seed');

/** Words a refinement meeting's titles are made of; titles are cut to a length, at a word. */
const WORDS =
	'as a shopper I want to pay by card so that checkout is quick and the order history shows every delivery address with its VAT and the discount code applied before the confirmation e-mail goes out'.split(
		' '
	);

/** A title of exactly `length` characters (40–90 in the meeting room), starting with its number. */
export function meetingTitle(n: number, length: number): string {
	let title = `Item ${n}:`;
	for (let i = n; title.length < length; i++) title += ' ' + WORDS[i % WORDS.length];
	return title.slice(0, length).trimEnd().padEnd(length, '.');
}

/** The item whose title has 60 characters and three labels (and a blocker): what the panel-open check reads. */
export const SIXTY = meetingTitle(3, 60);

/**
 * The room a team brings to a meeting, through the relay: 40 items whose titles are 40–90
 * characters, every kind and status, some with three labels, some estimated, two parents with
 * children and a few blocked items. Returns the titles, in the order they were made.
 */
export async function seedMeetingRoom(baseUrl: string, link: string): Promise<string[]> {
	const titles: string[] = [];
	await throughRelay(baseUrl, link, (doc) => {
		doc.transact(() => {
			const ids: string[] = [];
			for (let i = 0; i < 40; i++) {
				const n = i + 1;
				const title = i === 2 ? SIXTY : meetingTitle(n, 40 + ((i * 37) % 51));
				const labels = i % 4 === 2 ? ['payments', 'checkout', 'mobile'] : i % 5 === 0 ? ['backend'] : [];
				// Items 6 and 12 are parents: the next two items are their children.
				const parent = i === 7 || i === 8 ? ids[6] : i === 13 || i === 14 ? ids[12] : null;
				const id = createItem(
					doc,
					{ id: `meeting-${n}`, title, labels, parent, kind: ITEM_KINDS[i % ITEM_KINDS.length], status: ITEM_STATUSES[i % ITEM_STATUSES.length], by: 'seed', now: 0 },
					origin
				);
				ids.push(id);
				titles.push(title);
				if (i % 3 === 0) setEstimate(doc, id, ['1', '2', '3', '5', '8', '13'][i % 6], origin);
			}
			for (const [blocked, blocker] of [
				[2, 0],
				[2, 1],
				[10, 4],
				[20, 19],
				[33, 2]
			])
				addBlocker(doc, ids[blocked], ids[blocker], origin);
		}, origin);
	});
	return titles;
}

/**
 * People present in a room without a browser each: a y-websocket client per person announcing
 * `user` (what they have open, and with `voter` their poker role) in awareness, as the app does.
 * `leave` disconnects them.
 * @example const others = await presentPeople(baseUrl, link, [{ id: 'b', name: 'Bob', color: '#0b6e99', viewing: 'meeting-1' }])
 */
export async function presentPeople(
	baseUrl: string,
	link: string,
	people: { id: string; name: string; color: string; viewing?: string; voter?: boolean }[]
): Promise<{ leave: () => void }> {
	const { roomId, key } = linkParts(link);
	const providers = people.map(({ viewing, voter, ...user }) => {
		const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', roomId, new Y.Doc(), {
			params: { key },
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true
		});
		provider.awareness.setLocalStateField('user', user);
		if (viewing) provider.awareness.setLocalStateField('viewing', viewing);
		// A voter who may write, as an edit link's poker announces itself: someone to hand the facilitator's role to.
		if (voter) provider.awareness.setLocalStateField('poker', { role: 'voter', canWrite: true });
		return provider;
	});
	await until(() => providers.every((provider) => provider.synced), (synced) => synced, { what: 'everyone present' });
	return {
		leave: () => {
			for (const provider of providers) {
				provider.destroy();
				provider.doc.destroy();
			}
		}
	};
}
