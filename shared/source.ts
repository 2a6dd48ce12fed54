import type * as Y from 'yjs';
import { InvalidInputError, requireItem } from './doc';
import { F } from './item';
import type { Origin } from './origins';

/**
 * Where an imported item lives in the team's tracker, so a row can link back to it and an
 * export can update it there (docs/IMPORT-EXPORT.md). Stored as one plain value on the item
 * (`source`), written whole: it is set by an import, not typed into.
 */
export const TRACKERS = ['jira', 'azure-devops', 'github', 'linear'] as const;
export type Tracker = (typeof TRACKERS)[number];

export interface ItemSource {
	tracker: Tracker;
	/** What people call it there: `PAY-12`, `1234`, `acme/shop#7`, `ENG-5`. */
	key: string;
	/** A second id the tracker keys updates by (Jira's numeric `Issue id`), or null. */
	id: string | null;
	/** A link to it (http or https only), or null when the file had none. */
	url: string | null;
}

const TOKEN = /^[^\s<>·]{1,100}$/;
const MAX_URL_LENGTH = 2000;

/**
 * The URL as a link that is safe to put in an `href`: http or https only (never `javascript:`),
 * normalised, at most 2,000 characters; null otherwise.
 */
export function safeUrl(url: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return null;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
	return parsed.href.length <= MAX_URL_LENGTH ? parsed.href : null;
}

/** Check a source from a file or a caller; throws InvalidInputError saying what is wrong. */
export function checkSource(value: unknown): ItemSource {
	if (typeof value !== 'object' || value === null) throw new InvalidInputError('A source must be an object');
	const { tracker, key, id = null, url = null } = value as Record<string, unknown>;
	if (!(TRACKERS as readonly unknown[]).includes(tracker)) throw new InvalidInputError(`Unknown tracker "${String(tracker)}"`);
	if (typeof key !== 'string' || !TOKEN.test(key)) throw new InvalidInputError('A source key must be 1 to 100 characters without spaces');
	if (id !== null && (typeof id !== 'string' || !TOKEN.test(id))) throw new InvalidInputError('A source id must be 1 to 100 characters without spaces');
	if (url !== null && (typeof url !== 'string' || safeUrl(url) === null)) throw new InvalidInputError('A source link must be an http or https URL');
	return { tracker: tracker as Tracker, key, id: id as string | null, url: url === null ? null : safeUrl(url as string) };
}

/** The item's source, or null (items made in the room, or a stored value that does not check). */
export function readSource(item: Y.Map<unknown>): ItemSource | null {
	const value = item.get(F.source);
	if (value == null) return null;
	try {
		return checkSource(value);
	} catch {
		return null;
	}
}

/** Set or clear where an item comes from, in one step. */
export function setItemSource(doc: Y.Doc, id: string, source: ItemSource | null, origin: Origin): void {
	const checked = source === null ? null : checkSource(source);
	doc.transact(() => {
		const item = requireItem(doc, id);
		if (checked === null) item.delete(F.source);
		else item.set(F.source, checked);
	}, origin);
}

/** The tracker's own name, for people. */
export const TRACKER_NAMES: Record<Tracker, string> = { jira: 'Jira', 'azure-devops': 'Azure DevOps', github: 'GitHub', linear: 'Linear' };
