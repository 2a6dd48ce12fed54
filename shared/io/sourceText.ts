import type { ItemJson } from '../exportJson';
import { checkSource, type ItemSource } from '../source';

/**
 * An item's tracker source in our CSV and Markdown exports, so it survives their round trips.
 * CSV: four columns after the labels, only when some item has a source (trackerSource.ts reads
 * them back). Markdown: a `Source:` part of the facts line, `jira PAY-2 (id 10002) <https://…>`.
 */
export const SOURCE_HEADERS = ['Source tracker', 'Source key', 'Source id', 'Source URL'] as const;

/** The source columns' cells for an item (empty when it has none). */
export function sourceCells(item: ItemJson): string[] {
	const source = item.source;
	return source ? [source.tracker, source.key, source.id ?? '', source.url ?? ''] : ['', '', '', ''];
}

/** The value of the `Source:` fact. */
export function sourceFact(source: ItemSource): string {
	return `${source.tracker} ${source.key}${source.id ? ` (id ${source.id})` : ''}${source.url ? ` <${source.url}>` : ''}`;
}

const FACT = /^(\S+) (\S+)(?: \(id (\S+)\))?(?: <(\S+)>)?$/;

/** A `Source:` fact read back, or null when it does not check. */
export function readSourceFact(value: string): ItemSource | null {
	const match = FACT.exec(value.trim());
	if (!match) return null;
	try {
		return checkSource({ tracker: match[1], key: match[2], id: match[3] ?? null, url: match[4] ?? null });
	} catch {
		return null;
	}
}
