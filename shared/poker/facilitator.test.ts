import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../doc';
import { initRoom, readMeta } from '../meta';
import { DECKS } from './decks';
import { facilitatorChange, facilitatorKey, handOver, registerFacilitatorKey, takeOver } from './facilitator';
import { alice, bob, docWithItems, peerOf, sync } from './fixtures';

function room() {
	const doc = docWithItems('i1');
	initRoom(doc, { name: 'Room', deck: DECKS.fibonacci, by: 'alice' }, alice);
	return doc;
}

describe('the facilitator of record', () => {
	it('only the facilitator registers the facilitator’s key', () => {
		const doc = room();
		expect(() => registerFacilitatorKey(doc, { userId: 'bob', publicKey: 'B' }, bob)).toThrow(InvalidInputError);
		registerFacilitatorKey(doc, { userId: 'alice', publicKey: 'A' }, alice);
		expect(facilitatorKey(doc)).toEqual({ userId: 'alice', publicKey: 'A' });
	});

	it('taking over sets the facilitator, the key and the note in one change', () => {
		const doc = room();
		registerFacilitatorKey(doc, { userId: 'alice', publicKey: 'A' }, alice);
		const peer = peerOf(doc);
		takeOver(peer, { userId: 'bob', publicKey: 'B' }, 'Bob', bob, 5);
		sync(doc, peer);
		expect(readMeta(doc).settings.facilitator).toBe('bob');
		expect(facilitatorKey(doc)).toEqual({ userId: 'bob', publicKey: 'B' });
		expect(facilitatorChange(doc)).toEqual({ kind: 'takeover', from: 'alice', to: 'bob', name: 'Bob', at: 5 });
	});

	it('a hand-over leaves no key until the new facilitator registers theirs', () => {
		const doc = room();
		registerFacilitatorKey(doc, { userId: 'alice', publicKey: 'A' }, alice);
		handOver(doc, { userId: 'bob', name: 'Bob' }, alice, 7);
		expect(facilitatorKey(doc)).toBeNull();
		expect(facilitatorChange(doc)?.kind).toBe('handover');
		registerFacilitatorKey(doc, { userId: 'bob', publicKey: 'B' }, bob);
		expect(facilitatorKey(doc)?.publicKey).toBe('B');
	});

	it('a key recorded for someone other than the facilitator does not count', () => {
		const doc = room();
		registerFacilitatorKey(doc, { userId: 'alice', publicKey: 'A' }, alice);
		doc.getMap('meta').set('setting.facilitator', 'carol');
		expect(facilitatorKey(doc)).toBeNull();
	});
});
