import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createItem, deleteItems, editItemText, setItemText, setStatus } from '$shared/items';
import { orderedIds } from '$shared/order';
import { localOrigin, systemOrigin } from '$shared/origins';
import { changeFacts, isChangeFacts } from './changeFacts';
import { PendingChanges } from './PendingChanges';
import { RelayCoverage } from './RelayCoverage';

const me = localOrigin('me');
const relayOrigin = systemOrigin('relay');

/**
 * A relay as ours behaves: it integrates what a client sends and broadcasts each resulting
 * update to every connection (the sender's too). `Client` is one device: a doc, its pending
 * list and what it learnt of the relay, fed only by what the relay "sends".
 */
class Relay {
	readonly doc = new Y.Doc();
	readonly clients = new Set<Client>();
	constructor() {
		this.doc.on('update', (update: Uint8Array) => {
			for (const client of this.clients) if (client.online) client.fromRelay('update', update);
		});
	}
	receive(update: Uint8Array): void {
		Y.applyUpdate(this.doc, update, relayOrigin);
	}
}

class Client {
	readonly doc = new Y.Doc();
	readonly coverage = new RelayCoverage();
	pending: PendingChanges;
	online = false;
	constructor(
		readonly relay: Relay,
		restored = new PendingChanges()
	) {
		this.pending = restored;
		relay.clients.add(this);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === relay || origin === 'load') return;
			this.pending.add(changeFacts(update));
			if (this.online) relay.receive(update);
		});
	}
	/** Connect: the relay's step 1, our step 2, the relay's step 2, as y-websocket does. */
	connect(): void {
		this.online = true;
		this.coverage.setStateVector(Y.decodeStateVector(Y.encodeStateVector(this.relay.doc)));
		this.pending.settle(this.coverage);
		this.relay.receive(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.relay.doc)));
		this.fromRelay('step2', Y.encodeStateAsUpdate(this.relay.doc, Y.encodeStateVector(this.doc)));
	}
	fromRelay(_kind: 'step2' | 'update', update: Uint8Array): void {
		Y.applyUpdate(this.doc, update, this.relay);
		this.coverage.learn(update, this.pending.waitsForDeletes);
		this.pending.settle(this.coverage);
	}
}

describe('pending changes are confirmed only when the relay holds them', () => {
	test('offline changes count one per change and clear once the relay echoes them', () => {
		const relay = new Relay();
		const alice = new Client(relay);
		alice.connect();
		const id = createItem(alice.doc, { title: 'First' }, me);
		expect(alice.pending.count).toBe(0);
		alice.online = false;
		for (let i = 0; i < 5; i++) editItemText(alice.doc, id, 'title', { index: 0, remove: 0, insert: `${i}` }, me);
		expect(alice.pending.count).toBe(5);
		alice.connect();
		expect(alice.pending.count).toBe(0);
	});

	test('a deletion alone is pending until the relay sends that deletion', () => {
		const relay = new Relay();
		const alice = new Client(relay);
		alice.connect();
		const id = createItem(alice.doc, { title: 'Typo' }, me);
		alice.online = false;
		editItemText(alice.doc, id, 'title', { index: 0, remove: 2, insert: '' }, me);
		expect(alice.pending.count).toBe(1);
		// The relay has every struct of Alice: only the deletion is missing.
		alice.coverage.setStateVector(Y.decodeStateVector(Y.encodeStateVector(relay.doc)));
		alice.pending.settle(alice.coverage);
		expect(alice.pending.count).toBe(1);
		alice.connect();
		expect(alice.pending.count).toBe(0);
	});

	test('a deletion that races another person’s deletion of the same text is confirmed by theirs', () => {
		const relay = new Relay();
		const alice = new Client(relay);
		const bob = new Client(relay);
		alice.connect();
		bob.connect();
		const id = createItem(alice.doc, { title: 'Shared' }, me);
		alice.online = false;
		editItemText(alice.doc, id, 'title', { index: 0, remove: 6, insert: '' }, me);
		editItemText(bob.doc, id, 'title', { index: 0, remove: 6, insert: '' }, localOrigin('bob'));
		expect(alice.pending.count).toBe(1);
		alice.connect();
		expect(alice.pending.count).toBe(0);
	});

	test('restored after a reload, changes the relay already holds clear on its state vector alone', () => {
		const relay = new Relay();
		const alice = new Client(relay);
		alice.connect();
		createItem(alice.doc, { title: 'Sent' }, me);
		const stored = JSON.parse(JSON.stringify([changeFacts(Y.encodeStateAsUpdate(alice.doc))]));
		expect(stored.every(isChangeFacts)).toBe(true);
		const reloaded = new Client(relay, new PendingChanges(stored));
		expect(reloaded.pending.count).toBe(1);
		reloaded.connect();
		expect(reloaded.pending.count).toBe(0);
	});

	test('a relay that lost state (its step 1 is behind) makes the lost changes pending again until resent', () => {
		const relay = new Relay();
		const alice = new Client(relay);
		alice.connect();
		alice.online = false;
		createItem(alice.doc, { title: 'Only here' }, me);
		const fresh = new Relay();
		const restored = new PendingChanges(alice.pending.list());
		const again = new Client(fresh, restored);
		Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(alice.doc), 'load');
		expect(again.pending.count).toBe(1);
		again.connect();
		expect(again.pending.count).toBe(0);
		expect(fresh.doc.getMap('items').size).toBe(1);
	});

	test('property: whatever happens offline, after connecting nothing is pending and the relay has it all', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'type', 'erase', 'delete', 'toggle'), fc.nat(50)), { maxLength: 40 }), (steps) => {
				const relay = new Relay();
				const alice = new Client(relay);
				const bob = new Client(relay);
				alice.connect();
				bob.connect();
				for (const [step, n] of steps) {
					const who = n % 3 === 0 ? bob : alice;
					const origin = who === bob ? localOrigin('bob') : me;
					if (n % 7 === 0) alice.online = !alice.online;
					const ids = orderedIds(who.doc);
					const id = ids[n % Math.max(1, ids.length)];
					if (step === 'add' || !id) createItem(who.doc, { title: `t${n}` }, origin);
					else if (step === 'type') editItemText(who.doc, id, 'title', { index: 0, remove: 0, insert: 'x' }, origin);
					else if (step === 'erase') setItemText(who.doc, id, 'title', `e${n}`, origin);
					else if (step === 'delete') deleteItems(who.doc, [id], origin, 1);
					else setStatus(who.doc, id, n % 2 ? 'ready' : 'new', origin);
				}
				alice.connect();
				expect(alice.pending.count).toBe(0);
				expect(bob.pending.count).toBe(0);
				expect(Y.encodeStateVector(relay.doc)).toEqual(Y.encodeStateVector(alice.doc));
			}),
			{ numRuns: 200 }
		);
	});
});
