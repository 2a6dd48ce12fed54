import type * as Y from 'yjs';
import { readCriteria } from '$shared/criteria';
import { getItems } from '$shared/doc';
import { isDeleted, itemText } from '$shared/item';
import { readiness } from '$shared/ready';
import type { RowFacts } from './visibleRows';

/** The facts `visibleRows` reads from the document, looked up per row only when asked. */
export function rowFacts(doc: Y.Doc): RowFacts {
	const items = getItems(doc);
	return {
		description: (id) => {
			const item = items.get(id);
			return item && !isDeleted(item) ? itemText(item, 'description').toString() : '';
		},
		criteria: (id) => {
			const item = items.get(id);
			return item && !isDeleted(item) ? readCriteria(item).map((criterion) => criterion.text).join('\n') : '';
		},
		ready: (id) => (items.has(id) ? readiness(doc, id).ready : false)
	};
}
