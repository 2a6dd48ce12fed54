import { RefineryError } from '../doc';
import type { CriterionState, ItemState, RoomState } from './roomState';

/**
 * A room's state as JSON: what the relay stores beside each version and serves to the app and
 * the CLI, so comparing a version costs a JSON parse and the comparison, never decoding the
 * version's Yjs bytes (for a 2,000-item room that decode is most of a second's tenth).
 */
export const PLAIN_STATE_FORMAT = 1;

/** The media type the history API serves a version's plain state as. */
export const PLAIN_STATE_TYPE = 'application/json';

/** The JSON is not a room state this code reads. */
export class PlainStateError extends RefineryError {
	override name = 'PlainStateError';
}

interface PlainRoomState {
	format: typeof PLAIN_STATE_FORMAT;
	name: string;
	/** Live items in backlog order. */
	order: string[];
	items: ItemState[];
}

/** The JSON text of a room's state. */
export function encodeRoomState(state: RoomState): string {
	const plain: PlainRoomState = { format: PLAIN_STATE_FORMAT, name: state.name, order: state.order, items: [...state.items.values()] };
	return JSON.stringify(plain);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isNullable = (value: unknown, check: (v: unknown) => boolean) => value === null || check(value);

function isCriterion(value: unknown): value is CriterionState {
	if (typeof value !== 'object' || value === null) return false;
	const c = value as Record<string, unknown>;
	return isString(c.id) && isString(c.text) && isString(c.rank) && typeof c.done === 'boolean' && typeof c.removed === 'boolean';
}

function isItem(value: unknown): value is ItemState {
	if (typeof value !== 'object' || value === null) return false;
	const item = value as Record<string, unknown>;
	return (
		isString(item.id) &&
		isString(item.title) &&
		isString(item.description) &&
		isString(item.kind) &&
		isString(item.status) &&
		isString(item.rank) &&
		isNullable(item.estimate, isString) &&
		isNullable(item.parent, isString) &&
		isNullable(item.deletedAt, (v) => typeof v === 'number') &&
		isStringList(item.labels) &&
		isStringList(item.ready) &&
		isStringList(item.blockedBy) &&
		Array.isArray(item.criteria) &&
		item.criteria.every(isCriterion)
	);
}

/**
 * A room state from its JSON (parsed), checked field by field so that a damaged or foreign
 * answer fails here with a PlainStateError rather than later inside the comparison.
 * @example changesBetween(decodeRoomState(await response.json()), readRoomState(session.doc))
 */
export function decodeRoomState(json: unknown): RoomState {
	if (typeof json !== 'object' || json === null) throw new PlainStateError('A room state must be an object');
	const plain = json as Partial<PlainRoomState>;
	if (plain.format !== PLAIN_STATE_FORMAT) throw new PlainStateError(`Unknown room state format ${String(plain.format)}`);
	if (!isString(plain.name) || !isStringList(plain.order) || !Array.isArray(plain.items)) throw new PlainStateError('A room state needs a name, an order and items');
	const items = new Map<string, ItemState>();
	for (const item of plain.items) {
		if (!isItem(item)) throw new PlainStateError('A room state holds a malformed item');
		items.set(item.id, item);
	}
	for (const id of plain.order) if (!items.has(id)) throw new PlainStateError(`The order names an unknown item "${id}"`);
	return { name: plain.name, items, order: plain.order };
}
