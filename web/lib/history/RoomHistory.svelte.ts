import type { SvelteSet } from 'svelte/reactivity';
import * as Y from 'yjs';
import { changesBetween, type ItemChanges } from '$shared/history/changes';
import { restoreItemFromVersion, restoreRoomFromVersion } from '$shared/history/restore';
import { LiveRoomState } from '$shared/history/LiveRoomState';
import type { RoomState } from '$shared/history/roomState';
import { listVersions, readVersion, readVersionState, saveVersion, type VersionInfo } from '$shared/history/versionsApi';
import type { RoomSession } from '../room/RoomSession.svelte';
import { saveVersionBeforeChange } from './saveVersionBeforeChange';
import { lastMeetingVersion } from './lastMeeting';
import { unreadMarks } from './UnreadMarks.svelte';

/** Version documents kept in memory at once (a version of a big room is a few MB); only restores need them. */
const CACHED_VERSIONS = 6;
/** Plain version states kept at once (item history reads up to 12). */
const CACHED_STATES = 12;

/**
 * One person's view of the room's history: the versions the relay keeps, the changes since one
 * of them, and restoring. Requests carry the room key in a header (shared/history/versionsApi.ts),
 * never in the URL. Version documents are cached outside `$state` (Y types never go there).
 * One per session: get it with `roomHistory(session)`.
 */
export class RoomHistory {
	versions = $state<VersionInfo[] | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	readonly #session: RoomSession;
	readonly #docs = new Map<number, Promise<Y.Doc>>();
	/** Versions as plain data (the relay's plain states), so comparing with one again costs only the comparison. */
	readonly #states = new Map<number, Promise<RoomState>>();
	#unreadLoaded = false;
	#live: LiveRoomState | null = null;

	constructor(session: RoomSession) {
		this.#session = session;
	}

	/** Items changed since the last meeting that this person has not looked at (UnreadMarks). */
	get unread(): SvelteSet<string> {
		return unreadMarks(this.#session).unread;
	}

	/** Opens an item in the detail pane (lent by the rows' marks, see UnreadMarks). */
	get opener(): ((itemId: string) => void) | null {
		return unreadMarks(this.#session).opener;
	}

	get canRestore(): boolean {
		return this.#session.canEdit;
	}

	get #base(): string {
		return location.origin;
	}

	/** Fetch the list of versions again. */
	async refresh(): Promise<VersionInfo[] | null> {
		this.loading = true;
		try {
			this.versions = await listVersions(this.#base, this.#session.link.roomId, this.#session.link.key);
			this.error = null;
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		} finally {
			this.loading = false;
		}
		return this.versions;
	}

	/** "Save a version", with an optional name; true if a new one was stored. */
	async save(name: string): Promise<boolean> {
		const { taken } = await saveVersion(this.#base, this.#session.link.roomId, this.#session.link.key, { reason: 'manual', name: name.trim() || undefined });
		await this.refresh();
		return taken;
	}

	/**
	 * A version as plain data, fetched once and kept for a while: what comparisons and item
	 * history read, so they never decode a version's Yjs bytes (only a restore does).
	 */
	state(id: number): Promise<RoomState> {
		let state = this.#states.get(id);
		if (!state) {
			state = readVersionState(this.#base, this.#session.link.roomId, this.#session.link.key, id);
			state.catch(() => this.#states.delete(id));
			this.#states.set(id, state);
			if (this.#states.size > CACHED_STATES) this.#states.delete(this.#states.keys().next().value!);
		}
		return state;
	}

	/** A version's document, fetched once and kept for a while (for restoring). */
	version(id: number): Promise<Y.Doc> {
		let doc = this.#docs.get(id);
		if (!doc) {
			doc = readVersion(this.#base, this.#session.link.roomId, this.#session.link.key, id).then((state) => {
				const loaded = new Y.Doc({ gc: true });
				Y.applyUpdate(loaded, state);
				return loaded;
			});
			doc.catch(() => this.#docs.delete(id));
			this.#docs.set(id, doc);
			while (this.#docs.size > CACHED_VERSIONS) {
				const oldest = this.#docs.keys().next().value!;
				void this.#docs.get(oldest)!.then((d) => d.destroy(), () => undefined);
				this.#docs.delete(oldest);
			}
		}
		return doc;
	}

	/**
	 * The room as it is now, for comparing: read in full once, then only the items changed since
	 * (the unread marks read it when the room opens, so the History panel finds it warm). It
	 * observes the session's document and goes with it.
	 */
	current(): RoomState {
		return (this.#live ??= new LiveRoomState(this.#session.doc)).read();
	}

	/** What changed from a version to now, grouped by item in backlog order. */
	async changesSince(id: number): Promise<ItemChanges[]> {
		return changesBetween(await this.state(id), this.current());
	}

	/** Restore the whole room to a version: a version of now is saved first, then one undoable step. */
	async restoreRoom(id: number): Promise<void> {
		const version = await this.version(id);
		await saveVersionBeforeChange(this.#session, 'before-restore');
		this.#session.history.step(() => restoreRoomFromVersion(this.#session.doc, version, this.#session.origin));
	}

	/** Restore one item to a version (the rest of the room is left alone). */
	async restoreItem(id: number, itemId: string): Promise<void> {
		const version = await this.version(id);
		await saveVersionBeforeChange(this.#session, 'before-restore');
		this.#session.history.step(() => restoreItemFromVersion(this.#session.doc, version, itemId, this.#session.origin));
	}

	/** Mark the rows changed since the last meeting, once per session, after the room has synced. */
	loadUnread(): void {
		if (this.#unreadLoaded) return;
		this.#unreadLoaded = true;
		const start = async () => {
			const versions = await this.refresh();
			const since = versions && lastMeetingVersion(versions, Date.now());
			if (!since) return;
			const read = readMarks(this.#session.link.roomId, since.id);
			for (const item of await this.changesSince(since.id)) if (!read.has(item.id)) this.unread.add(item.id);
		};
		const provider = this.#session.provider;
		if (provider.synced) void start().catch(() => undefined);
		else provider.once('sync', () => void start().catch(() => undefined));
	}

	/** This person has looked at these items' changes. */
	markRead(ids: readonly string[]): void {
		const since = this.versions && lastMeetingVersion(this.versions, Date.now());
		for (const id of ids) this.unread.delete(id);
		if (since) writeMarks(this.#session.link.roomId, since.id, ids);
	}
}

const marksKey = (roomId: string) => `refinery:history-read:${roomId}`;

/** Items marked read for the given last-meeting version (a newer meeting starts afresh). */
function readMarks(roomId: string, versionId: number): Set<string> {
	try {
		const stored = JSON.parse(localStorage.getItem(marksKey(roomId)) ?? 'null') as { version: number; items: string[] } | null;
		return new Set(stored?.version === versionId ? stored.items : []);
	} catch {
		return new Set();
	}
}

function writeMarks(roomId: string, versionId: number, ids: readonly string[]): void {
	try {
		const items = [...readMarks(roomId, versionId), ...ids].slice(-5000);
		localStorage.setItem(marksKey(roomId), JSON.stringify({ version: versionId, items }));
	} catch {
		// Storage full or refused: the marks last for this visit only.
	}
}

const sessions = new WeakMap<RoomSession, RoomHistory>();

/** The history of a session's room (one per session, made on first use, so nothing mounts it). */
export function roomHistory(session: RoomSession): RoomHistory {
	let history = sessions.get(session);
	if (!history) sessions.set(session, (history = new RoomHistory(session)));
	return history;
}
