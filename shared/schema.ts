import * as Y from 'yjs';
import { getItems, getMeta, RefineryError } from './doc';
import { F } from './item';
import type { Origin } from './origins';

/** The version of the document shape this code reads and writes. */
export const SCHEMA_VERSION = 2;

export class NewerSchemaError extends RefineryError {
	override name = 'NewerSchemaError';
	constructor(readonly found: number) {
		super(`This room was saved by a newer Refinery (schema ${found}, this app knows ${SCHEMA_VERSION}). Reload to update the app.`);
	}
}

/** One step from `from` to `from + 1`. Pure over the document: no I/O, no clock. */
export interface Migration {
	from: number;
	describe: string;
	run(doc: Y.Doc): void;
}

/**
 * Every migration, in order. A migration must be safe when two peers run it at
 * once: it only fills in what is missing, never rewrites what someone wrote.
 */
export const MIGRATIONS: readonly Migration[] = [
	{
		from: 0,
		describe: 'Rooms from before versioning: give every item the nested maps and fields it needs',
		run(doc) {
			for (const item of getItems(doc).values()) {
				for (const field of [F.title, F.description] as const) {
					if (!(item.get(field) instanceof Y.Text)) {
						const old = item.get(field);
						const text = new Y.Text();
						if (typeof old === 'string') text.insert(0, old);
						item.set(field, text);
					}
				}
				if (!(item.get(F.criteria) instanceof Y.Array)) item.set(F.criteria, new Y.Array());
				if (!item.has(F.kind)) item.set(F.kind, 'story');
				if (!item.has(F.status)) item.set(F.status, 'new');
			}
		}
	},
	{
		from: 1,
		describe: 'Ranks go to the rank log as items move; the redundant id field goes',
		run(doc) {
			// Ranks are not copied into the log here: a peer migrating at the same time as another
			// moves would append the old rank after the move and undo it. An item keeps its schema-1
			// `rank` field until its first move, which logs the new rank and drops the field.
			for (const item of getItems(doc).values()) {
				// The id is the item's key in `items`; as a field it only cost a struct per item.
				if (item.has(F.id)) item.delete(F.id);
			}
		}
	}
];

/** The schema version a document says it has (0 when it says nothing). */
export function schemaVersionOf(doc: Y.Doc): number {
	const version = getMeta(doc).get('schemaVersion');
	return typeof version === 'number' ? version : 0;
}

/**
 * Bring a document up to SCHEMA_VERSION in one transaction. Returns the steps run.
 * Throws NewerSchemaError for a document from a newer app, which must not be touched.
 */
export function migrate(doc: Y.Doc, origin: Origin, migrations: readonly Migration[] = MIGRATIONS): string[] {
	const found = schemaVersionOf(doc);
	const target = migrations.length ? Math.max(SCHEMA_VERSION, migrations[migrations.length - 1].from + 1) : SCHEMA_VERSION;
	if (found > target) throw new NewerSchemaError(found);
	if (found === target) return [];
	const ran: string[] = [];
	doc.transact(() => {
		for (const step of migrations) {
			if (step.from < found) continue;
			step.run(doc);
			ran.push(step.describe);
		}
		getMeta(doc).set('schemaVersion', target);
	}, origin);
	return ran;
}
