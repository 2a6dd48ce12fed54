import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMeta, InvalidInputError } from './doc';
import { DEFAULT_SETTINGS, initRoom, MAX_ROOM_NAME_LENGTH, readMeta, setDeck, setRoomName, setSetting, type RoomSettings } from './meta';
import { localOrigin } from './origins';
import type { Deck } from './poker/decks';
import { SCHEMA_VERSION } from './schema';

const me = localOrigin('me');
const bob = localOrigin('bob');
const fib: Deck = { id: 'fib', name: 'Fibonacci', cards: ['1', '2', '3', '5', '8', '?'] };
const tshirt: Deck = { id: 'tshirt', name: 'T-shirt', cards: ['S', 'M', 'L'] };

function exchange(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

describe('readMeta', () => {
	it('fills defaults in an empty doc', () => {
		expect(readMeta(new Y.Doc())).toEqual({ name: '', schemaVersion: 0, deck: null, createdAt: null, settings: DEFAULT_SETTINGS });
	});
});

describe('initRoom', () => {
	it('sets name, version, deck, creation time and the creator as facilitator', () => {
		const doc = new Y.Doc();
		initRoom(doc, { name: '  Checkout   team ', deck: fib, by: 'ann', now: 1234 }, me);
		expect(readMeta(doc)).toEqual({
			name: 'Checkout team',
			schemaVersion: SCHEMA_VERSION,
			deck: fib,
			createdAt: 1234,
			settings: { ...DEFAULT_SETTINGS, facilitator: 'ann' }
		});
	});
	it('keeps what is already there, so two people opening a new room do not clash', () => {
		const a = new Y.Doc();
		initRoom(a, { name: 'First', deck: fib, by: 'ann', now: 1 }, me);
		const b = new Y.Doc();
		exchange(a, b);
		initRoom(b, { name: 'Second', deck: tshirt, by: 'bob', now: 2 }, bob);
		expect(readMeta(b)).toMatchObject({ name: 'First', deck: fib, createdAt: 1, settings: { facilitator: 'ann' } });
	});
	it('converges when two docs init the same room concurrently', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		initRoom(a, { name: 'A', deck: fib, by: 'ann', now: 1 }, me);
		initRoom(b, { name: 'B', deck: tshirt, by: 'bob', now: 2 }, bob);
		exchange(a, b);
		expect(readMeta(a)).toEqual(readMeta(b));
		expect(['A', 'B']).toContain(readMeta(a).name);
	});
	it('leaves the facilitator unset without a creator', () => {
		const doc = new Y.Doc();
		initRoom(doc, { name: 'Room', deck: fib }, me);
		expect(readMeta(doc).settings.facilitator).toBeNull();
		expect(typeof readMeta(doc).createdAt).toBe('number');
	});
	it('refuses an empty or overlong name and writes nothing', () => {
		const doc = new Y.Doc();
		expect(() => initRoom(doc, { name: '   ', deck: fib }, me)).toThrow(InvalidInputError);
		expect(() => initRoom(doc, { name: 'x'.repeat(MAX_ROOM_NAME_LENGTH + 1), deck: fib }, me)).toThrow(InvalidInputError);
		expect(getMeta(doc).size).toBe(0);
	});
});

describe('setRoomName, setDeck, setSetting', () => {
	it('rename the room, cleaned', () => {
		const doc = new Y.Doc();
		setRoomName(doc, ' New\tname ', me);
		expect(readMeta(doc).name).toBe('New name');
		expect(() => setRoomName(doc, '', me)).toThrow(InvalidInputError);
		expect(() => setRoomName(doc, 'x'.repeat(MAX_ROOM_NAME_LENGTH + 1), me)).toThrow(InvalidInputError);
		expect(readMeta(doc).name).toBe('New name');
	});
	it('store a copy of the deck, not the caller\'s object', () => {
		const doc = new Y.Doc();
		const deck: Deck = { id: 'd', name: 'Days', cards: ['1', '2'] };
		setDeck(doc, deck, me);
		deck.cards.push('3');
		expect(readMeta(doc).deck).toEqual({ id: 'd', name: 'Days', cards: ['1', '2'] });
	});
	it('change one setting at a time', () => {
		const doc = new Y.Doc();
		setSetting(doc, 'revealPolicy', 'anyone', me);
		setSetting(doc, 'roundTimerSeconds', 60, me);
		expect(readMeta(doc).settings).toEqual({ revealPolicy: 'anyone', facilitator: null, roundTimerSeconds: 60, anonymousRounds: false });
		setSetting(doc, 'roundTimerSeconds', null, me);
		expect(readMeta(doc).settings.roundTimerSeconds).toBeNull();
	});
	it('refuse unknown settings, inherited names included', () => {
		const doc = new Y.Doc();
		expect(() => setSetting(doc, 'theme' as keyof RoomSettings, 'dark' as never, me)).toThrow(InvalidInputError);
		expect(() => setSetting(doc, 'constructor' as keyof RoomSettings, 1 as never, me)).toThrow(InvalidInputError);
		expect(getMeta(doc).size).toBe(0);
	});
	it('two people changing different settings at once both win', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		setSetting(a, 'revealPolicy', 'auto', me);
		setSetting(b, 'roundTimerSeconds', 30, bob);
		exchange(a, b);
		expect(readMeta(a).settings).toEqual({ revealPolicy: 'auto', facilitator: null, roundTimerSeconds: 30, anonymousRounds: false });
		expect(readMeta(b).settings).toEqual(readMeta(a).settings);
	});
});
