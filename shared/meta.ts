import type * as Y from 'yjs';
import { getMeta, InvalidInputError } from './doc';
import type { Origin } from './origins';
import type { Deck } from './poker/decks';
import { SCHEMA_VERSION } from './schema';

/** Room-wide settings; each is its own key so that two people changing different ones both win. */
export interface RoomSettings {
	/** Who may reveal a poker round. */
	revealPolicy: 'facilitator' | 'anyone' | 'auto';
	/** The facilitator's user id (the room's creator by default). */
	facilitator: string | null;
	/** Seconds a round runs before it reveals itself; null for no timer. */
	roundTimerSeconds: number | null;
	/** Poker rounds started while this is on show their cards without names. */
	anonymousRounds: boolean;
}

export const DEFAULT_SETTINGS: RoomSettings = {
	revealPolicy: 'facilitator',
	facilitator: null,
	roundTimerSeconds: null,
	anonymousRounds: false
};

export const MAX_ROOM_NAME_LENGTH = 120;

export interface RoomMeta {
	name: string;
	schemaVersion: number;
	deck: Deck | null;
	createdAt: number | null;
	settings: RoomSettings;
}

/**
 * Settings are flat keys in meta ("setting.revealPolicy"), not a nested map: two
 * peers creating a nested map at once would each make one, and one would be lost.
 */
const settingKey = (key: keyof RoomSettings) => `setting.${key}`;

function readSettings(meta: Y.Map<unknown>): RoomSettings {
	const settings = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
	for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof RoomSettings)[]) {
		if (meta.has(settingKey(key))) settings[key] = meta.get(settingKey(key));
	}
	return settings as unknown as RoomSettings;
}

function cleanName(name: string): string {
	const clean = name.replace(/\s+/g, ' ').trim();
	if (!clean) throw new InvalidInputError('A room needs a name');
	if (clean.length > MAX_ROOM_NAME_LENGTH) {
		throw new InvalidInputError(`A room name can be at most ${MAX_ROOM_NAME_LENGTH} characters`);
	}
	return clean;
}

/**
 * Set up a new room's meta. Safe to call on a room that already has it: fields set
 * by anyone before are kept, so two people opening the same new room do not clash.
 * @example initRoom(doc, { name: 'Checkout team', deck: DECKS.fibonacci, by: userId }, origin)
 */
export function initRoom(doc: Y.Doc, fields: { name: string; deck: Deck; by?: string; now?: number }, origin: Origin): void {
	const name = cleanName(fields.name);
	doc.transact(() => {
		const meta = getMeta(doc);
		if (!meta.has('schemaVersion')) meta.set('schemaVersion', SCHEMA_VERSION);
		if (!meta.has('name')) meta.set('name', name);
		if (!meta.has('deck')) meta.set('deck', fields.deck);
		if (!meta.has('createdAt')) meta.set('createdAt', fields.now ?? Date.now());
		if (fields.by && !meta.has(settingKey('facilitator'))) meta.set(settingKey('facilitator'), fields.by);
	}, origin);
}

/** The room's meta with defaults filled in. */
export function readMeta(doc: Y.Doc): RoomMeta {
	const meta = getMeta(doc);
	return {
		name: (meta.get('name') as string | undefined) ?? '',
		schemaVersion: (meta.get('schemaVersion') as number | undefined) ?? 0,
		deck: (meta.get('deck') as Deck | undefined) ?? null,
		createdAt: (meta.get('createdAt') as number | undefined) ?? null,
		settings: readSettings(meta)
	};
}

export function setRoomName(doc: Y.Doc, name: string, origin: Origin): void {
	const clean = cleanName(name);
	doc.transact(() => getMeta(doc).set('name', clean), origin);
}

/** Change the room's deck; running poker rounds keep the deck they started with. */
export function setDeck(doc: Y.Doc, deck: Deck, origin: Origin): void {
	doc.transact(() => getMeta(doc).set('deck', { id: deck.id, name: deck.name, cards: [...deck.cards] }), origin);
}

/** Change one room setting. */
export function setSetting<K extends keyof RoomSettings>(doc: Y.Doc, key: K, value: RoomSettings[K], origin: Origin): void {
	// An own-property check: `in` would also accept inherited names such as "constructor".
	if (!Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, key)) throw new InvalidInputError(`Unknown setting "${String(key)}"`);
	doc.transact(() => getMeta(doc).set(settingKey(key), value), origin);
}
