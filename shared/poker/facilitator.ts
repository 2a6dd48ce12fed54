import type * as Y from 'yjs';
import { getMeta, InvalidInputError } from '../doc';
import { readMeta } from '../meta';
import type { Origin } from '../origins';

/**
 * The facilitator of record: the user id in the room setting `facilitator`, and beside it the
 * public key of that person's device (`poker.facilitatorKey`), which signs their reveals (proof.ts).
 * Both change together when someone takes over; a hand-over leaves the key to the new facilitator's
 * device, which registers its own the moment it sees the room.
 */

/** The meta key of the facilitator's public key: a flat key, like the settings (see meta.ts). */
const KEY = 'poker.facilitatorKey';
/** The meta key of the last change of facilitator, for the note everyone sees. */
const CHANGE = 'poker.facilitatorChange';

/** Whose device signs for the facilitator. */
export interface FacilitatorKey {
	userId: string;
	publicKey: string;
}

/** How the facilitator last changed: handed over by the facilitator, or taken over by someone present. */
export interface FacilitatorChange {
	kind: 'handover' | 'takeover';
	from: string | null;
	to: string;
	/** The new facilitator's name, so the note reads well after they left. */
	name: string;
	at: number;
}

/** How long the facilitator must be away before anyone present is offered to take over. */
export const FACILITATOR_AWAY_MS = 30_000;

const isKey = (v: unknown): v is FacilitatorKey => typeof v === 'object' && v !== null && typeof (v as FacilitatorKey).userId === 'string' && typeof (v as FacilitatorKey).publicKey === 'string';

/** The facilitator's registered public key, or null when the facilitator has not registered one (or it is someone else's). */
export function facilitatorKey(doc: Y.Doc): FacilitatorKey | null {
	const value = getMeta(doc).get(KEY);
	const facilitator = readMeta(doc).settings.facilitator;
	return isKey(value) && value.userId === facilitator ? { userId: value.userId, publicKey: value.publicKey } : null;
}

/** The last change of facilitator, or null. */
export function facilitatorChange(doc: Y.Doc): FacilitatorChange | null {
	const value = getMeta(doc).get(CHANGE) as Partial<FacilitatorChange> | undefined;
	if (!value || (value.kind !== 'handover' && value.kind !== 'takeover') || typeof value.to !== 'string' || typeof value.at !== 'number') return null;
	return { kind: value.kind, from: typeof value.from === 'string' ? value.from : null, to: value.to, name: typeof value.name === 'string' ? value.name.slice(0, 40) : '', at: value.at };
}

/**
 * Register the facilitator's device key. Only the facilitator of record registers: anyone else
 * is refused, so an honest app never writes a key for somebody else.
 */
export function registerFacilitatorKey(doc: Y.Doc, key: FacilitatorKey, origin: Origin): void {
	doc.transact(() => {
		if (readMeta(doc).settings.facilitator !== key.userId) throw new InvalidInputError('Only the facilitator registers the facilitator’s key');
		getMeta(doc).set(KEY, { userId: key.userId, publicKey: key.publicKey });
	}, origin);
}

/**
 * Become the facilitator (the one who was away is replaced): the setting, this device's key and
 * the note for everyone, in one transaction.
 * @example takeOver(doc, { userId, publicKey }, 'Bob', origin)
 */
export function takeOver(doc: Y.Doc, key: FacilitatorKey, name: string, origin: Origin, now = Date.now()): void {
	doc.transact(() => {
		const meta = getMeta(doc);
		const from = readMeta(doc).settings.facilitator;
		meta.set('setting.facilitator', key.userId);
		meta.set(KEY, { userId: key.userId, publicKey: key.publicKey });
		meta.set(CHANGE, { kind: 'takeover', from, to: key.userId, name: name.slice(0, 40), at: now } satisfies FacilitatorChange);
	}, origin);
}

/** Hand the facilitator's role to someone else; their device registers its own key when it sees this. */
export function handOver(doc: Y.Doc, to: { userId: string; name: string }, origin: Origin, now = Date.now()): void {
	if (!to.userId) throw new InvalidInputError('Hand over to whom?');
	doc.transact(() => {
		const meta = getMeta(doc);
		const from = readMeta(doc).settings.facilitator;
		meta.set('setting.facilitator', to.userId);
		if (meta.has(KEY)) meta.delete(KEY);
		meta.set(CHANGE, { kind: 'handover', from, to: to.userId, name: to.name.slice(0, 40), at: now } satisfies FacilitatorChange);
	}, origin);
}
