import { expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { relayProcessSuite } from '../testing/relayProcessSuite';

/**
 * Issue 12 (found by journalRotation.test.ts): a fresh stock client of a 45 MiB room never
 * finished its first sync. The relay's answer, the whole room in one frame, sat in the socket's
 * send queue past MAX_QUEUED_BYTES_PER_CONNECTION (8 MiB), so the next frame to that client (the
 * presence it announces on connecting, echoed) dropped it as "not reading" (4508); it
 * reconnected, got the answer again, and was dropped again, for good.
 */
const MiB = 1024 * 1024;
const relay = relayProcessSuite({ MAX_BYTES_PER_ADDRESS_PER_HOUR: String(1024 * MiB) });

/** Close codes a provider saw. */
function closesOf(provider: WebsocketProvider): number[] {
	const codes: number[] = [];
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) codes.push(event.code);
	});
	return codes;
}

it('a fresh stock client of a room holding 45 MiB syncs on its first connection', { timeout: 180_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const writer = connectClient(relay.server.syncUrl, roomId, editKey);
	relay.providers.push(writer);
	await synced(writer, 20_000);
	// Three live values of 15 MiB (nothing replaced: garbage collection cannot shrink it).
	for (let n = 0; n < 3; n++) {
		writer.doc.getMap('blob').set(`v${n}`, `${n}:`.padEnd(15 * MiB - 1024, 'x'));
	}
	const check = connectClient(relay.server.syncUrl, roomId, editKey);
	relay.providers.push(check);
	await waitFor(() => check.doc.getMap('blob').size === 3, 120_000, 'the room stored').catch((error) => {
		console.log(relay.server.lines.filter((line) => line.includes('"level":40') || line.includes('"level":50')).slice(0, 20).join('\n'));
		throw error;
	});
	check.destroy();
	writer.destroy();

	const fresh = connectClient(relay.server.syncUrl, roomId, editKey);
	relay.providers.push(fresh);
	const closes = closesOf(fresh);
	await waitFor(() => fresh.synced || closes.length > 0, 60_000, 'the first sync');
	expect(closes).toEqual([]);
	expect((fresh.doc.getMap('blob').get('v2') as string).startsWith('2:x')).toBe(true);
});
