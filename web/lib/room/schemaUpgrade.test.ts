import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { getItems } from '$shared/doc';
import { SCHEMA_VERSION, schemaVersionOf } from '$shared/schema';
import { v1Room } from '$shared/testing/v1Room';
import { upgradeWhenSynced } from './schemaUpgrade';

/** A stand-in for the provider's `sync` event: the only part the upgrade listens to. */
function syncSource() {
	const listeners = new Set<(synced: boolean) => void>();
	return {
		on: (_: 'sync', listener: (synced: boolean) => void) => void listeners.add(listener),
		off: (_: 'sync', listener: (synced: boolean) => void) => void listeners.delete(listener),
		emit: (synced: boolean) => listeners.forEach((listener) => listener(synced))
	};
}

describe('upgradeWhenSynced', () => {
	it('migrates a schema-1 room once the relay has synced, not before', () => {
		const doc = v1Room(['a1', 'b2', 'c3']);
		const source = syncSource();
		upgradeWhenSynced(source, doc, true);
		expect(schemaVersionOf(doc)).toBe(1);
		source.emit(false);
		expect(schemaVersionOf(doc)).toBe(1);
		source.emit(true);
		expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
		for (const item of getItems(doc).values()) expect(item.has('id')).toBe(false);
	});

	it('leaves a view-only session and an empty document alone', () => {
		const viewed = v1Room(['a1']);
		const source = syncSource();
		upgradeWhenSynced(source, viewed, false);
		source.emit(true);
		expect(schemaVersionOf(viewed)).toBe(1);

		const empty = new Y.Doc();
		const other = syncSource();
		upgradeWhenSynced(other, empty, true);
		other.emit(true);
		expect(schemaVersionOf(empty)).toBe(0);
	});
});
