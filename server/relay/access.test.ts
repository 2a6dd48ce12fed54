import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from './closeCodes';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';

let relay: TestRelay;
const providers: WebsocketProvider[] = [];
const client = (roomId: string, key: string | null, doc?: Y.Doc) => {
	const provider = connectClient(relay.syncUrl, roomId, key, doc);
	providers.push(provider);
	return provider;
};

beforeEach(async () => {
	relay = await startTestRelay({ allowedOrigins: ['https://allowed.example'] });
});
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await relay.close();
});

/** A room with one editor who wrote something, so there is document data that must not leak. */
async function roomWithContent() {
	const room = await newRoom();
	const editor = client(room.roomId, room.editKey);
	await synced(editor);
	editor.doc.getText('t').insert(0, 'secret backlog');
	await waitFor(() => (relay.relay.rooms.get(room.roomId)?.size ?? 0) > 0);
	return { ...room, editor };
}

describe('access', () => {
	it('a view key reads and shows presence, but its writes are dropped and never stored', async () => {
		const { roomId, viewKey, editor } = await roomWithContent();
		const viewer = client(roomId, viewKey);
		await synced(viewer);
		expect(viewer.doc.getText('t').toString()).toBe('secret backlog');
		const sizeBefore = relay.relay.rooms.get(roomId)!.size;
		viewer.doc.getText('t').insert(0, 'vandal ');
		viewer.doc.getMap('m').set('x', 1);
		viewer.awareness.setLocalStateField('user', { name: 'Viewer' });
		await waitFor(() => editor.awareness.getStates().get(viewer.doc.clientID)?.user?.name === 'Viewer', 5000, 'viewer presence');
		// Editor writes after the viewer; once that arrives, the viewer's earlier frames were handled.
		editor.doc.getMap('m').set('after', true);
		await waitFor(() => viewer.doc.getMap('m').get('after') === true);
		expect(editor.doc.getText('t').toString()).toBe('secret backlog');
		expect(editor.doc.getMap('m').has('x')).toBe(false);
		const stored = new Y.Doc();
		for (const update of await relay.store.loadState(roomId)) Y.applyUpdate(stored, update);
		expect(stored.getText('t').toString()).toBe('secret backlog');
		expect(stored.getMap('m').has('x')).toBe(false);
		expect(relay.relay.rooms.get(roomId)!.size).toBeGreaterThan(sizeBefore);
		const metrics = await relay.relay.metrics.registry.getSingleMetricAsString('refinery_viewer_updates_dropped_total');
		expect(metrics).toMatch(/refinery_viewer_updates_dropped_total [1-9]/);
	});

	it.each([
		['no key', (_edit: string, _view: string) => null, CloseCode.missingKey],
		['an empty key', () => '', CloseCode.missingKey],
		['a wrong edit key', () => 'AAAAAAAAAAAAAAAAAAAAAA', CloseCode.forbidden],
		['a wrong view key', () => 'AAAAAAAAAAAAAAAAAAAAAAAA', CloseCode.forbidden],
		['a malformed key', () => 'not a key!', CloseCode.forbidden],
		['the view key with a character changed', (_edit: string, view: string) => (view[0] === 'A' ? 'B' : 'A') + view.slice(1), CloseCode.forbidden]
	])('%s is closed before any document data is sent', async (_name, keyOf, code) => {
		const { roomId, editKey, viewKey } = await roomWithContent();
		const key = keyOf(editKey, viewKey);
		const session = rawSession(`${relay.syncUrl}/${roomId}${key === null ? '' : `?key=${encodeURIComponent(key)}`}`);
		await session.closed;
		expect(session.closeCode).toBe(code);
		expect(session.frames).toEqual([]);
	});

	it('a view key cannot claim a room nobody has claimed (4404)', async () => {
		const { roomId, viewKey } = await newRoom();
		const session = rawSession(`${relay.syncUrl}/${roomId}?key=${viewKey}`);
		await session.closed;
		expect(session.closeCode).toBe(CloseCode.unknownRoom);
		expect(session.frames).toEqual([]);
		expect(await relay.store.getRoom(roomId)).toBeNull();
	});

	it('the first edit key claims the room; another edit key is refused afterwards', async () => {
		const { roomId, editKey } = await roomWithContent();
		expect(await relay.store.getRoom(roomId)).not.toBeNull();
		const other = await newRoom();
		const session = rawSession(`${relay.syncUrl}/${roomId}?key=${other.editKey}`);
		await session.closed;
		expect(session.closeCode).toBe(CloseCode.forbidden);
		expect(session.frames).toEqual([]);
		const again = rawSession(`${relay.syncUrl}/${roomId}?key=${editKey}`);
		await waitFor(() => again.frames.length > 0);
		again.socket.close();
	});

	it.each(['short', 'AAAAAAAAAAAAAAAAAAAAA!', 'AAAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAB', '%2e%2e%2fetc'])(
		'malformed room id %j gets HTTP 400 at the upgrade',
		async (roomId) => {
			const session = rawSession(`${relay.syncUrl}/${roomId}?key=AAAAAAAAAAAAAAAAAAAAAA`);
			await session.closed;
			expect(session.httpStatus).toBe(400);
			expect(session.frames).toEqual([]);
		}
	);

	it('origins: allow-listed and same-origin pass, others are closed with 4408', async () => {
		const { roomId, editKey } = await newRoom();
		const url = `${relay.syncUrl}/${roomId}?key=${editKey}`;
		const foreign = rawSession(url, { origin: 'https://evil.example' });
		await foreign.closed;
		expect(foreign.closeCode).toBe(CloseCode.originNotAllowed);
		expect(foreign.frames).toEqual([]);
		for (const origin of ['https://allowed.example', `http://127.0.0.1:${relay.port}`]) {
			const ok = rawSession(url, { origin });
			await waitFor(() => ok.frames.length > 0, 5000, origin);
			ok.socket.close();
			await ok.closed;
		}
	});
});
