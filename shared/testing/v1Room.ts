import * as Y from 'yjs';
import { getItems, getMeta } from '../doc';
import { F } from '../item';
import { rankBetween } from '../rank';

/**
 * A room as schema 1 stored it, for migration tests: every item map with its `id`, `rank`,
 * `kind` and `status` fields (what `buildItem` wrote then) and no rank log.
 */
export function v1Room(ids: readonly string[], doc = new Y.Doc()): Y.Doc {
	doc.transact(() => {
		getMeta(doc).set('schemaVersion', 1);
		let rank: string | null = null;
		for (const id of ids) {
			const item = new Y.Map<unknown>();
			item.set(F.id, id);
			item.set(F.title, new Y.Text(`Title ${id}`));
			item.set(F.description, new Y.Text(''));
			item.set(F.criteria, new Y.Array());
			item.set(F.kind, 'bug');
			item.set(F.status, 'ready');
			rank = rankBetween(rank, null, id);
			item.set(F.rank, rank);
			item.set(F.createdAt, 1);
			getItems(doc).set(id, item);
		}
	});
	return doc;
}
