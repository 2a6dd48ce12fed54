import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import type { Connection } from './Connection';
import { MessageType } from './protocol';

/**
 * A client's first presence message on a connection, if it announces one client at a clock the
 * room has already seen and no connection here holds that client: [client, clock to pass]. Such
 * an announcement (a client back after its connection or its relay went) is ignored by every
 * peer under y-protocols' clock rule, so the relay answers with `encodeRemoval`.
 */
export function staleAnnouncement(awareness: Awareness, update: Uint8Array, connections: Iterable<Connection>): [number, number] | null {
	const decoder = decoding.createDecoder(update);
	if (decoding.readVarUint(decoder) !== 1) return null;
	const client = decoding.readVarUint(decoder);
	const clock = decoding.readVarUint(decoder);
	const state = decoding.readVarString(decoder);
	const meta = awareness.meta.get(client);
	if (state === 'null' || meta === undefined || meta.clock < clock) return null;
	for (const connection of connections) if (connection.awarenessClients.has(client)) return null;
	return [client, meta.clock];
}

/**
 * An awareness message saying a client's state was removed at `clock`. Sent to that client, it
 * makes y-protocols bump the client's clock and re-announce its state, which every peer accepts.
 */
export function encodeRemoval(client: number, clock: number): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, 1);
	encoding.writeVarUint(update, client);
	encoding.writeVarUint(update, clock);
	encoding.writeVarString(update, 'null');
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
	return encoding.toUint8Array(encoder);
}
