import { readLocal, writeLocal } from '../storage/local';
import { isChangeFacts, type ChangeFacts } from './changeFacts';
import { dedupe } from './PendingChanges';

/** What this device remembers of a room's sync between page loads. */
export interface SyncRecordData {
	/** When the relay last held everything this device had (ms since the epoch), or null. */
	lastSyncedAt: number | null;
	/** Local changes the relay had not confirmed at the last save. */
	pending: ChangeFacts[];
}

function isSyncRecord(value: unknown): value is SyncRecordData {
	if (typeof value !== 'object' || value === null) return false;
	const { lastSyncedAt, pending } = value as Partial<SyncRecordData>;
	return (lastSyncedAt === null || Number.isFinite(lastSyncedAt)) && Array.isArray(pending) && pending.every(isChangeFacts);
}

/**
 * A room's sync record in localStorage (`refinery:sync:<database>`), so "last synced" and the
 * pending count survive a reload, offline included. Several tabs of one room share it: a save
 * keeps the other tabs' pending changes unless this tab knows the relay holds them.
 */
export class SyncRecord {
	readonly #key: string;

	constructor(databaseName: string) {
		this.#key = `refinery:sync:${databaseName}`;
	}

	read(): SyncRecordData {
		return readLocal(this.#key, isSyncRecord) ?? { lastSyncedAt: null, pending: [] };
	}

	/**
	 * @param mine this tab's pending changes
	 * @param confirmed tells a change the relay is known to hold (another tab's included)
	 */
	save(lastSyncedAt: number | null, mine: ChangeFacts[], confirmed: (change: ChangeFacts) => boolean): void {
		const stored = this.read();
		const others = stored.pending.filter((change) => !confirmed(change));
		writeLocal(this.#key, {
			lastSyncedAt: Math.max(lastSyncedAt ?? 0, stored.lastSyncedAt ?? 0) || null,
			pending: dedupe([...mine, ...others])
		} satisfies SyncRecordData);
	}
}
