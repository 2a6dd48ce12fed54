import { expect, it } from 'vitest';
import { CloseCode } from './closeCodes';
import { awarenessFrame } from '../testing/attacks';
import { connectClient, newRoom, rawSession, synced, waitFor } from '../testing/clients';
import { relayProcessSuite } from '../testing/relayProcessSuite';

/**
 * Must show 5 (issue 12), against a real relay process with stock clients: presence forged for
 * another person's client id is dropped; a 20,000-deep state is refused and the next join works;
 * a flood of client ids is refused.
 */
const relay = relayProcessSuite();

function client(roomId: string, key: string) {
	const provider = connectClient(relay.server.syncUrl, roomId, key);
	relay.providers.push(provider);
	return provider;
}


async function rawIn(roomId: string, key: string) {
	const session = rawSession(`${relay.server.syncUrl}/${roomId}?key=${key}`);
	await new Promise<void>((resolve) => session.socket.once('open', () => resolve()));
	return session;
}

it("a view-key connection's presence for another person's client id is dropped: the victim's presence is unchanged everywhere", { timeout: 30_000 }, async () => {
	const { roomId, editKey, viewKey } = await newRoom();
	const victim = client(roomId, editKey);
	const observer = client(roomId, editKey);
	await Promise.all([synced(victim), synced(observer)]);
	victim.awareness.setLocalStateField('user', { name: 'Ada' });
	await waitFor(() => observer.awareness.getStates().get(victim.doc.clientID)?.user?.name === 'Ada', 5000, 'presence');
	const forger = await rawIn(roomId, viewKey);
	const clock = victim.awareness.meta.get(victim.doc.clientID)!.clock;
	forger.socket.send(awarenessFrame([victim.doc.clientID, clock + 5, JSON.stringify({ user: { name: 'Mallory' } })]));
	forger.socket.send(awarenessFrame([victim.doc.clientID, clock + 6, 'null']));
	// A newcomer's view is the relay's: it must still show Ada.
	await new Promise((resolve) => setTimeout(resolve, 500));
	const newcomer = client(roomId, editKey);
	await synced(newcomer);
	await waitFor(() => newcomer.awareness.getStates().has(victim.doc.clientID), 5000, 'newcomer sees the victim');
	expect(newcomer.awareness.getStates().get(victim.doc.clientID)?.user?.name).toBe('Ada');
	expect(observer.awareness.getStates().get(victim.doc.clientID)?.user?.name).toBe('Ada');
	expect(victim.awareness.getLocalState()?.user?.name).toBe('Ada');
	forger.socket.terminate();
});

it('a 20,000-deep presence state is refused (4422) and the next join succeeds; a flood of client ids is refused', { timeout: 30_000 }, async () => {
	const { roomId, editKey } = await newRoom();
	const ada = client(roomId, editKey);
	await synced(ada);
	ada.awareness.setLocalStateField('user', { name: 'Ada' });
	const deep = await rawIn(roomId, editKey);
	deep.socket.send(awarenessFrame([987654, 1, '['.repeat(20_000) + ']'.repeat(20_000)]));
	await deep.closed;
	expect(deep.closeCode).toBe(CloseCode.overBudget);
	const next = client(roomId, editKey);
	await synced(next);
	await waitFor(() => next.awareness.getStates().get(ada.doc.clientID)?.user?.name === 'Ada', 5000, 'presence after the refused state');
	expect(next.wsconnected).toBe(true);
	// (A stock client's first state has clock 0, which y-protocols peers ignore until it changes.)
	next.awareness.setLocalStateField('user', { name: 'Next' });

	const flood = await rawIn(roomId, editKey);
	flood.socket.send(awarenessFrame(...Array.from({ length: 5000 }, (_, i) => [1_000_000 + i, 1, '{}'] as [number, number, string])));
	await flood.closed;
	expect(flood.closeCode).toBe(CloseCode.overBudget);
	// Nulls for fresh ids cost nothing and claim nothing.
	const nulls = await rawIn(roomId, editKey);
	nulls.socket.send(awarenessFrame(...Array.from({ length: 50_000 }, (_, i) => [2_000_000 + i, 1, 'null'] as [number, number, string])));
	const later = client(roomId, editKey);
	await synced(later);
	await waitFor(() => later.awareness.getStates().size >= 3, 5000, 'presence of the three stock clients');
	expect(later.awareness.getStates().size).toBe(3);
	nulls.socket.terminate();
});
