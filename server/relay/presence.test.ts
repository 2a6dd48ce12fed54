import { expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { Connection } from './Connection';
import { encodeRemoval, staleAnnouncement } from './presence';

const socket = { send: () => {}, close: () => {} };

it('finds a one-client announcement at an old clock of a client nobody here holds', () => {
	const client = new awarenessProtocol.Awareness(new Y.Doc());
	client.setLocalState({ name: 'Ada' });
	const announcement = awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]);
	const room = new awarenessProtocol.Awareness(new Y.Doc());
	// Never seen: not stale.
	expect(staleAnnouncement(room, announcement, [])).toBeNull();
	awarenessProtocol.applyAwarenessUpdate(room, announcement, 'first');
	awarenessProtocol.removeAwarenessStates(room, [client.clientID], 'left');
	// Removed (at the same clock, as y-protocols removes another client's state): the same announcement again is stale.
	expect(staleAnnouncement(room, announcement, [])).toEqual([client.clientID, client.meta.get(client.clientID)!.clock]);
	// Unless a connection here holds it (then it is an echo, not a return).
	const holder = new Connection(socket, 'edit', 'a');
	holder.awarenessClients.add(client.clientID);
	expect(staleAnnouncement(room, announcement, [holder])).toBeNull();
	// A newer clock is a normal update.
	client.setLocalState({ name: 'Ada L.' });
	client.setLocalState({ name: 'Ada' });
	expect(staleAnnouncement(room, awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), [])).toBeNull();
});

it('a removal at its clock makes a y-protocols client re-announce one clock up', () => {
	const client = new awarenessProtocol.Awareness(new Y.Doc());
	client.setLocalState({ name: 'Ada' });
	const clock = client.meta.get(client.clientID)!.clock;
	const sent: Uint8Array[] = [];
	client.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		sent.push(awarenessProtocol.encodeAwarenessUpdate(client, [...added, ...updated, ...removed]));
	});
	const frame = encodeRemoval(client.clientID, clock);
	const decoder = decoding.createDecoder(frame);
	expect(decoding.readVarUint(decoder)).toBe(1); // awareness message
	awarenessProtocol.applyAwarenessUpdate(client, decoding.readVarUint8Array(decoder), 'relay');
	expect(client.getLocalState()).toEqual({ name: 'Ada' });
	expect(client.meta.get(client.clientID)!.clock).toBe(clock + 1);
	expect(sent).toHaveLength(1);
	const peer = new awarenessProtocol.Awareness(new Y.Doc());
	peer.meta.set(client.clientID, { clock, lastUpdated: 0 });
	awarenessProtocol.applyAwarenessUpdate(peer, sent[0], 'relay');
	expect(peer.getStates().get(client.clientID)).toEqual({ name: 'Ada' });
});
