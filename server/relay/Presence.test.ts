import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MalformedMessageError } from './protocol';
import { Presence, PresenceBudgetError, encodeRemoval } from './Presence';

const budget = { maxStateBytes: 4096, maxStateDepth: 8, maxClientsPerConnection: 4 };

function update(...entries: [client: number, clock: number, json: string][]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const [client, clock, json] of entries) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, json);
	}
	return encoding.toUint8Array(encoder);
}

describe('Presence', () => {
	it('a client id belongs to the connection that announced it: states from any other are dropped', () => {
		const presence = new Presence(budget);
		const victim = {};
		const forger = {};
		presence.apply(update([7, 1, '{"name":"Ada"}']), victim, true);
		const forged = presence.apply(update([7, 9, '{"name":"Mallory"}']), forger, true);
		expect(forged).toMatchObject({ changed: [], dropped: 1 });
		expect(presence.apply(update([7, 9, 'null']), forger, true).dropped).toBe(1);
		const peer = new awarenessProtocol.Awareness(new Y.Doc());
		awarenessProtocol.applyAwarenessUpdate(peer, presence.encode([7]), 'relay');
		expect(peer.getStates().get(7)).toEqual({ name: 'Ada' });
	});

	it('a removal for an id nobody holds claims nothing, and the owner can come back after leaving', () => {
		const presence = new Presence(budget);
		const a = {};
		const echo = {};
		presence.apply(update([7, 3, '{}']), a, true);
		expect(presence.removeOwner(a)).toEqual([7]);
		// Another client echoes the removal it received: nothing is claimed.
		expect(presence.apply(update([7, 3, 'null']), echo, true).changed).toEqual([]);
		// The client is back on a new connection at its old clock: told to re-announce one up.
		const back = {};
		expect(presence.apply(update([7, 3, '{}']), back, true).stale).toEqual([[7, 3]]);
		expect(presence.apply(update([7, 4, '{}']), back, true).changed).toEqual([7]);
		expect(presence.ownedBy(back)).toEqual([7]);
	});

	it('refuses deep, large and non-JSON states and floods of client ids, changing nothing', () => {
		const presence = new Presence(budget);
		const owner = {};
		expect(() => presence.apply(update([1, 1, '['.repeat(20_000) + ']'.repeat(20_000)]), owner, true)).toThrow(PresenceBudgetError);
		expect(() => presence.apply(update([1, 1, JSON.stringify('x'.repeat(5000))]), owner, true)).toThrow(PresenceBudgetError);
		expect(() => presence.apply(update([1, 1, '{x']), owner, true)).toThrow(MalformedMessageError);
		const flood = Array.from({ length: 5 }, (_, i) => [100 + i, 1, '{}'] as [number, number, string]);
		expect(() => presence.apply(update(...flood), owner, true)).toThrow(PresenceBudgetError);
		expect(presence.size).toBe(0);
		// Null states for fresh ids are not kept at all.
		presence.apply(update(...Array.from({ length: 1000 }, (_, i) => [1000 + i, 1, 'null'] as [number, number, string])), owner, true);
		expect(presence.size).toBe(0);
	});

	it('a removal at its clock makes a y-protocols client re-announce one clock up', () => {
		const client = new awarenessProtocol.Awareness(new Y.Doc());
		client.setLocalState({ name: 'Ada' });
		const clock = client.meta.get(client.clientID)!.clock;
		const sent: Uint8Array[] = [];
		client.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
			sent.push(awarenessProtocol.encodeAwarenessUpdate(client, [...added, ...updated, ...removed]));
		});
		const decoder = decoding.createDecoder(encodeRemoval(client.clientID, clock));
		expect(decoding.readVarUint(decoder)).toBe(1);
		awarenessProtocol.applyAwarenessUpdate(client, decoding.readVarUint8Array(decoder), 'relay');
		expect(client.meta.get(client.clientID)!.clock).toBe(clock + 1);
		expect(sent).toHaveLength(1);
	});
});
