import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ADMIN_TOKEN_HEADER, adminTokenPath, readAdminToken } from '../access/adminToken';
import { keyKind } from '../access/keys';
import { gunzipSync } from 'node:zlib';
import { changesBetween } from '../../shared/history/changes';
import { decodeRoomState } from '../../shared/history/plainState';
import { restoreItemFromVersion, restoreRoomFromVersion } from '../../shared/history/restore';
import type { RoomState } from '../../shared/history/roomState';
import { DEFAULT_PLAIN_STATE_BUDGET } from '../history/PlainStateWorker';
import { plainStateOf } from '../history/plainStateOf';
import { describeChanges } from './changeText';
import { saveVersion, versionsPath as versionsApiPath } from '../../shared/history/versionsApi';
import { localOrigin } from '../../shared/origins';
import { RedisVersionStore } from '../history/RedisVersionStore';
import { SqliteVersionStore, versionsPath } from '../history/SqliteVersionStore';
import { decodeVersion } from '../history/versionCodec';
import { Versions } from '../history/Versions';
import type { VersionStore } from '../history/VersionStore';
import { createLogger } from '../log';
import { RedisStore } from '../persistence/RedisStore';
import type { RoomStore } from '../persistence/RoomStore';
import { SqliteStore } from '../persistence/SqliteStore';
import { connectRedis } from '../redis/connection';

/** What the versions commands need from the rooms CLI. */
export interface VersionCliIo {
	dataDir: string;
	redisUrl?: string;
	/** The relay's port on this machine (PORT), to tell whether it is running. */
	port?: number;
	/** The room's edit key for a restore through the running relay (REFINERY_ROOM_KEY). */
	roomKey?: string;
	out: (text: string) => void;
	err: (text: string) => void;
}

/** A versions command that cannot be done: its message, exit 1. */
export class VersionCommandError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'VersionCommandError';
	}
}

const CLI_ORIGIN = localOrigin('rooms-cli');

async function withVersionStore<T>(io: VersionCliIo, fn: (store: VersionStore) => Promise<T>): Promise<T> {
	if (io.redisUrl) {
		const client = await connectRedis(io.redisUrl, createLogger('silent'), 'refinery-versions-cli', { reconnect: false });
		try {
			return await fn(new RedisVersionStore(client));
		} finally {
			await client.close();
		}
	}
	if (!existsSync(versionsPath(io.dataDir))) throw new VersionCommandError(`no versions at ${versionsPath(io.dataDir)} (set DATA_DIR)`);
	const store = new SqliteVersionStore(versionsPath(io.dataDir));
	try {
		return await fn(store);
	} finally {
		await store.close();
	}
}

/** Drop a deleted room's versions (nothing to do where none were ever kept). */
export async function removeVersions(roomId: string, io: VersionCliIo): Promise<void> {
	if (!io.redisUrl && !existsSync(versionsPath(io.dataDir))) return;
	await withVersionStore(io, (store) => store.removeRoom(roomId));
}

/** `versions <roomId>`: the room's versions, newest first. */
export async function listVersionsCommand(roomId: string, io: VersionCliIo): Promise<void> {
	const versions = await withVersionStore(io, (store) => store.list(roomId));
	io.out(
		['version  taken at                  reason              size  name', ...versions.map((v) =>
			`${String(v.id).padStart(7)}  ${new Date(v.takenAt).toISOString()}  ${v.reason.padEnd(18)}  ${String(v.size).padStart(8)}  ${v.name ?? ''}`
		)].join('\n') + '\n'
	);
}

/**
 * A version's plain state from the store, or made here for one stored without it (read-only: the
 * store is not written, so this is safe beside a running relay).
 */
async function plainStateFrom(store: VersionStore, roomId: string, versionId: number): Promise<RoomState> {
	const row = await store.readPlain(roomId, versionId);
	if (!row) throw new VersionCommandError(`room ${roomId} has no version ${versionId}`);
	let plain = row.plain;
	if (!plain) plain = plainStateOf(decodeVersion((await store.read(roomId, versionId))!), DEFAULT_PLAIN_STATE_BUDGET.maxJsonBytes);
	if (plain.byteLength === 0) throw new VersionCommandError(`version ${versionId} was too large to keep a plain state for`);
	return decodeRoomState(JSON.parse(gunzipSync(plain, { maxOutputLength: DEFAULT_PLAIN_STATE_BUDGET.maxJsonBytes }).toString('utf8')));
}

/** `changes <roomId> <from> <to>`: what changed between two versions, grouped by item (the History panel's list). */
export async function changesCommand(roomId: string, fromId: number, toId: number, io: VersionCliIo): Promise<void> {
	const [before, after] = await withVersionStore(io, (store) => Promise.all([plainStateFrom(store, roomId, fromId), plainStateFrom(store, roomId, toId)]));
	io.out(describeChanges(changesBetween(before, after)));
}

/** Apply the restore to a document holding the room's current state. */
function restoreInto(doc: Y.Doc, version: Y.Doc, itemId: string | undefined): void {
	if (itemId) restoreItemFromVersion(doc, version, itemId, CLI_ORIGIN);
	else restoreRoomFromVersion(doc, version, CLI_ORIGIN);
}

/** The running relay's operator token, read from its data directory (SQLite mode). */
function adminCredential(io: VersionCliIo): Credential | null {
	const token = io.redisUrl ? null : readAdminToken(io.dataDir);
	return token ? { adminToken: token } : null;
}

/** Is a relay answering on this machine's port? Then the data directory is not ours to write. */
async function relayRunning(port: number): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
		return response.ok || response.status === 503;
	} catch {
		return false;
	}
}

/** How the CLI opens the room on the relay: the room's edit key, or the relay's operator token from its data directory. */
type Credential = { key: string } | { adminToken: string };

/** Ask the relay for a `before-restore` version, with either credential. */
async function saveBeforeRestore(base: string, roomId: string, credential: Credential): Promise<void> {
	if ('key' in credential) {
		await saveVersion(base, roomId, credential.key, { reason: 'before-restore' });
		return;
	}
	const response = await fetch(new URL(versionsApiPath(roomId), base), {
		method: 'POST',
		headers: { [ADMIN_TOKEN_HEADER]: credential.adminToken, 'content-type': 'application/json' },
		body: JSON.stringify({ reason: 'before-restore' })
	});
	// 409: the room is empty or still receiving changes; the restore goes ahead, as in the app.
	if (!response.ok && response.status !== 409) throw new VersionCommandError(`the relay at ${base} refused the operator token (${response.status}): is DATA_DIR the running relay's?`);
}

/** ws with the operator token in a header of the upgrade request (never in its URL). */
function adminSocket(token: string): typeof globalThis.WebSocket {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { [ADMIN_TOKEN_HEADER]: token } });
		}
	} as unknown as typeof globalThis.WebSocket;
}

/** Restore as a client of the running relay: the relay stores and broadcasts it like any edit. */
async function restoreThroughRelay(url: string, roomId: string, credential: Credential, version: Y.Doc, itemId: string | undefined, io: VersionCliIo): Promise<void> {
	const base = url.replace(/\/$/, '');
	await saveBeforeRestore(base, roomId, credential);
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(base.replace(/^http/, 'ws') + '/sync', roomId, doc, {
		params: 'key' in credential ? { key: credential.key } : {},
		WebSocketPolyfill: 'key' in credential ? (WebSocket as unknown as typeof globalThis.WebSocket) : adminSocket(credential.adminToken),
		disableBc: true,
		// A refused connection is not retried for ever: the wait below gives up after 30 s.
		maxBackoffTime: 1000
	});
	try {
		const deadline = Date.now() + 30_000;
		while (!provider.synced) {
			if (Date.now() > deadline) throw new VersionCommandError(`the relay at ${base} did not sync the room in 30 s`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		restoreInto(doc, version, itemId);
		while ((provider.ws?.bufferedAmount ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
		// The relay acknowledges nothing: a short wait lets it store the update before the socket closes.
		await new Promise((resolve) => setTimeout(resolve, 500));
	} finally {
		provider.destroy();
		doc.destroy();
	}
	io.err(`restored ${itemId ? `item ${itemId} of ` : ''}room ${roomId} through the relay at ${base}\n`);
}

/** Restore by appending the change to the room's log in the store (Redis: the relays apply it as they apply any entry). */
async function restoreInStore(rooms: RoomStore, versions: VersionStore, roomId: string, version: Y.Doc, itemId: string | undefined): Promise<void> {
	if (!(await rooms.getRoom(roomId))) throw new VersionCommandError(`no room ${roomId}`);
	const history = new Versions(rooms, versions);
	try {
		await history.take(roomId, 'before-restore');
	} finally {
		// Stops the plain-state worker the version was made with.
		await history.close();
	}
	const doc = new Y.Doc();
	for (const update of await rooms.loadState(roomId)) Y.applyUpdate(doc, update);
	const before = Y.encodeStateVector(doc);
	restoreInto(doc, version, itemId);
	const change = Y.encodeStateAsUpdate(doc, before);
	await rooms.appendUpdate(roomId, change);
	doc.destroy();
}

/**
 * `restore <roomId> <version> [--item <id>] [--url <relay>]`, never behind a relay's back:
 * while a relay answers on PORT (or at `--url`), as a client of it, with the room's edit key
 * (REFINERY_ROOM_KEY) or else the operator token the relay keeps in DATA_DIR; with REDIS_URL as
 * an entry in the room's shared log, which the relays apply; otherwise on the stopped data directory.
 */
export async function restoreCommand(roomId: string, versionId: number, options: { itemId?: string; url?: string }, io: VersionCliIo): Promise<void> {
	const stored = await withVersionStore(io, (store) => store.read(roomId, versionId));
	const state = stored && decodeVersion(stored);
	if (!state) throw new VersionCommandError(`room ${roomId} has no version ${versionId}`);
	const version = new Y.Doc();
	Y.applyUpdate(version, state);
	if (options.url) {
		if (io.roomKey && keyKind(io.roomKey) !== 'edit') throw new VersionCommandError('REFINERY_ROOM_KEY is not an edit key: a view link cannot restore');
		const credential = io.roomKey ? { key: io.roomKey } : adminCredential(io);
		if (!credential) throw new VersionCommandError(`a restore through the relay needs the room’s edit key in REFINERY_ROOM_KEY, or the relay's ${adminTokenPath(io.dataDir)} (set DATA_DIR to the relay's)`);
		return restoreThroughRelay(options.url, roomId, credential, version, options.itemId, io);
	}
	if (io.redisUrl) {
		const client = await connectRedis(io.redisUrl, createLogger('silent'), 'refinery-restore-cli', { reconnect: false });
		try {
			await restoreInStore(new RedisStore(client), new RedisVersionStore(client), roomId, version, options.itemId);
		} finally {
			await client.close();
		}
	} else {
		const port = io.port ?? 3000;
		if (await relayRunning(port)) {
			// Never behind its back: through it, as its operator (the token it wrote in DATA_DIR).
			const credential = io.roomKey ? { key: io.roomKey } : adminCredential(io);
			if (!credential) throw new VersionCommandError(`a relay is running on port ${port} but ${adminTokenPath(io.dataDir)} is missing or unreadable: run as the relay's user with its DATA_DIR, or give the room's edit key in REFINERY_ROOM_KEY`);
			return restoreThroughRelay(`http://127.0.0.1:${port}`, roomId, credential, version, options.itemId, io);
		}
		const rooms = SqliteStore.open(io.dataDir);
		const versions = SqliteVersionStore.open(io.dataDir);
		try {
			await restoreInStore(rooms, versions, roomId, version, options.itemId);
		} finally {
			await rooms.close();
			await versions.close();
		}
	}
	io.err(`restored ${options.itemId ? `item ${options.itemId} of ` : ''}room ${roomId} to version ${versionId}\n`);
}
