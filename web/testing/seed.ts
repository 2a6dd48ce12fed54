import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createItem } from '../../shared/items';
import { initRoom } from '../../shared/meta';
import { DECKS } from '../../shared/poker/decks';
import { systemOrigin } from '../../shared/origins';
import { ranksBetween } from '../../shared/rank';
import { until } from './until';

const origin = systemOrigin('seed');

/** The room id and key of a room link (`…/r/<roomId>#k=<key>`). */
export function linkParts(link: string): { roomId: string; key: string } {
	const match = /\/r\/([A-Za-z0-9_-]{22})#[kv]=([A-Za-z0-9_-]+)$/.exec(link);
	if (!match) throw new Error(`not a room link: ${link}`);
	return { roomId: match[1], key: match[2] };
}

/**
 * Write to a room through the relay, as one more (headless) person would: a stock y-websocket
 * client in this process runs `write` on its synced document, waits until the relay has the
 * update, and leaves.
 * @example await throughRelay(baseUrl, link, (doc) => createItem(doc, { title: 'Hello' }, origin))
 */
export async function throughRelay(baseUrl: string, link: string, write: (doc: Y.Doc) => void): Promise<void> {
	const { roomId, key } = linkParts(link);
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', roomId, doc, {
		params: { key },
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	try {
		await until(() => provider.synced, (synced) => synced, { what: 'the seeding client synced' });
		write(doc);
		// The relay stores an update before it broadcasts it; wait until the socket has sent ours.
		await until(() => (provider.ws?.bufferedAmount ?? 0) === 0, (done) => done, { what: 'the seed sent' });
		await new Promise((resolve) => setTimeout(resolve, 300));
	} finally {
		provider.destroy();
		doc.destroy();
	}
}

/**
 * Fill a room with `count` items through the relay (`throughRelay`), in one transaction. Much
 * faster than typing them, and the browsers receive them as any remote change. With `name`, the
 * room is also created (a room that nobody opened yet).
 * @example await seedItems(baseUrl, aliceLink, 5000)
 */
export async function seedItems(baseUrl: string, link: string, count: number, { name }: { name?: string } = {}): Promise<void> {
	await throughRelay(baseUrl, link, (doc) => {
		if (name) initRoom(doc, { name, deck: DECKS.fibonacci, by: 'seed' }, origin);
		const ranks = ranksBetween(null, null, count, 'seed');
		doc.transact(() => {
			for (let i = 0; i < count; i++) createItem(doc, { id: `seed-${i}`, rank: ranks[i], title: `Item ${i + 1}: as a shopper I want thing ${i + 1}`, now: 0 }, origin);
		}, origin);
	});
}
