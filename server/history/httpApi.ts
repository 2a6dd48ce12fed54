import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { PLAIN_STATE_TYPE } from '../../shared/history/plainState';
import { isRoomId } from '../../shared/ids';
import type { AdminToken } from '../access/adminToken';
import { verifyKey, type Access } from '../access/keys';
import type { Logger } from '../log';
import type { RoomStore } from '../persistence/RoomStore';
import { DEFAULT_PLAIN_STATE_BUDGET } from './PlainStateWorker';
import { MAX_VERSION_NAME_LENGTH, type Versions } from './Versions';
import { CLIENT_REASONS, type VersionReason } from './VersionStore';

/** Limits of the history API; each refusal is a documented status (docs/HISTORY.md). */
export interface HistoryApiLimits {
	/** Largest request body (a version's name and reason): 413 past it. */
	maxBodyBytes: number;
	/** Requests per address per minute: 429 past it. */
	requestsPerMinute: number;
	/** Versions saved on request per room per minute: 429 past it. */
	savesPerMinute: number;
	/** Time to send a request body: 408 past it. */
	bodyTimeoutMs: number;
}

export const DEFAULT_HISTORY_API_LIMITS: HistoryApiLimits = { maxBodyBytes: 2048, requestsPerMinute: 120, savesPerMinute: 12, bodyTimeoutMs: 5000 };

const PATH = /^\/api\/rooms\/([^/]+)\/versions(?:\/([^/]+))?$/;

/** A continuously refilling bucket per key ("per minute" over any window). */
class RateLimiter {
	readonly #buckets = new Map<string, { tokens: number; at: number }>();
	constructor(readonly perMinute: number) {}
	take(key: string, now = Date.now()): boolean {
		const bucket = this.#buckets.get(key) ?? { tokens: this.perMinute, at: now };
		bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
		bucket.at = now;
		if (this.#buckets.size > 10_000) this.#buckets.clear(); // bounded memory: forgetting is lenient, not unsafe
		this.#buckets.set(key, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}
}

class HttpError extends Error {
	constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
		super(message);
		this.name = 'HttpError';
	}
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', vary: VARY, ...headers }).end(JSON.stringify(body));
}

/** The key from `Authorization: Bearer <key>`; keys never travel in URLs, where proxies log them. */
function bearerKey(req: IncomingMessage): string {
	const header = req.headers.authorization;
	const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,64})$/.exec(header) : null;
	if (!match) throw new HttpError(401, 'send the room key as Authorization: Bearer <key>', { 'www-authenticate': 'Bearer' });
	return match[1];
}

function readBody(req: IncomingMessage, limits: HistoryApiLimits): Promise<string> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limits.maxBodyBytes) return Promise.reject(new HttpError(413, 'request body too large'));
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const timer = setTimeout(() => {
			reject(new HttpError(408, 'request body too slow'));
			req.destroy();
		}, limits.bodyTimeoutMs);
		req.on('data', (chunk: Buffer) => {
			size += chunk.byteLength;
			if (size > limits.maxBodyBytes) {
				clearTimeout(timer);
				reject(new HttpError(413, 'request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			clearTimeout(timer);
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		req.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}

function parseSave(text: string): { reason: VersionReason; name: string | null } {
	let body: unknown = {};
	if (text.trim()) {
		try {
			body = JSON.parse(text);
		} catch {
			throw new HttpError(400, 'the body is not JSON');
		}
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be an object');
	const { reason = 'manual', name = null } = body as Record<string, unknown>;
	if (!CLIENT_REASONS.includes(reason as VersionReason)) throw new HttpError(400, `reason must be one of ${CLIENT_REASONS.join(', ')}`);
	if (name !== null && typeof name !== 'string') throw new HttpError(400, 'name must be a string');
	const clean = typeof name === 'string' ? name.replace(/\s+/g, ' ').trim() : '';
	if (clean.length > MAX_VERSION_NAME_LENGTH) throw new HttpError(400, `a name can be at most ${MAX_VERSION_NAME_LENGTH} characters`);
	return { reason: reason as VersionReason, name: clean || null };
}

const VARY = 'Authorization, Accept, Accept-Encoding';

/** `Accept: application/json` asks for a version's plain state; anything else gets its Yjs update. */
const wantsPlainState = (req: IncomingMessage) => /(^|,)\s*application\/json\s*(;|,|$)/i.test(req.headers.accept ?? '');

/**
 * A version's plain state as stored (gzipped JSON), sent as it is to a client that takes gzip
 * (every browser, Node's fetch), so serving one costs the relay no CPU; inflated for one that
 * does not.
 */
function sendPlainState(req: IncomingMessage, res: ServerResponse, plain: Uint8Array | null): void {
	if (!plain) throw new HttpError(404, 'no such version');
	if (plain.byteLength === 0) throw new HttpError(422, 'this version is too large to compare; restore it or compare it in the rooms CLI');
	const headers: Record<string, string> = { 'content-type': `${PLAIN_STATE_TYPE}; charset=utf-8`, 'cache-control': 'private, no-store', vary: VARY };
	let body = plain;
	if (/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) headers['content-encoding'] = 'gzip';
	else body = gunzipSync(plain, { maxOutputLength: DEFAULT_PLAIN_STATE_BUDGET.maxJsonBytes });
	headers['content-length'] = String(body.byteLength);
	res.writeHead(200, headers).end(body);
}

export interface HistoryApiOptions {
	rooms: RoomStore;
	versions: Versions;
	logger?: Logger;
	limits?: Partial<HistoryApiLimits>;
	/** The relay's operator token (rooms CLI on this machine): opens any existing room as an edit key would. */
	admin?: AdminToken;
}

/**
 * The history API: `GET /api/rooms/<id>/versions` (list), `GET /api/rooms/<id>/versions/<v>` (a
 * version's state, a Yjs update), `POST /api/rooms/<id>/versions` (save one; body `{ name?,
 * reason? }`). The room key goes in `Authorization: Bearer`: a view key lists and reads, an edit
 * key also saves. Returns a handler that answers those paths and returns false for any other.
 */
export function createHistoryApi({ rooms, versions, logger, limits: given = {}, admin }: HistoryApiOptions) {
	const limits = { ...DEFAULT_HISTORY_API_LIMITS, ...given };
	const perAddress = new RateLimiter(limits.requestsPerMinute);
	const savesPerRoom = new RateLimiter(limits.savesPerMinute);

	async function authorize(req: IncomingMessage, roomId: string): Promise<Access> {
		if (admin?.allows(req)) {
			if (!(await rooms.getRoom(roomId))) throw new HttpError(403, 'this key does not open this room');
			return 'edit';
		}
		const key = bearerKey(req);
		const room = await rooms.getRoom(roomId);
		// An unknown room and a wrong key answer alike: the API does not say which rooms exist.
		const access = room ? await verifyKey(key, room.keyCheck) : null;
		if (!access) throw new HttpError(403, 'this key does not open this room');
		return access;
	}

	async function answer(req: IncomingMessage, res: ServerResponse, roomId: string, versionId: string | undefined): Promise<void> {
		if (!isRoomId(roomId)) throw new HttpError(404, 'not a room id');
		if (versionId === undefined && req.method === 'POST') {
			const access = await authorize(req, roomId);
			if (access !== 'edit') throw new HttpError(403, 'a view link cannot save versions');
			const { reason, name } = parseSave(await readBody(req, limits));
			if (!savesPerRoom.take(roomId)) throw new HttpError(429, 'too many versions saved in this room; try again in a minute', { 'retry-after': '60' });
			const result = await versions.take(roomId, reason, name);
			if (result.taken) return send(res, 201, { version: result.version, taken: true });
			if (result.reason === 'unchanged') return send(res, 200, { version: result.version, taken: false });
			throw new HttpError(409, result.reason === 'pending' ? 'the room is still receiving changes; try again in a moment' : 'the room has nothing to save yet');
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed', { allow: versionId === undefined ? 'GET, POST' : 'GET' });
		await authorize(req, roomId);
		if (versionId === undefined) return send(res, 200, { versions: await versions.list(roomId) });
		const id = /^[1-9][0-9]{0,15}$/.test(versionId) ? Number(versionId) : NaN;
		if (!Number.isSafeInteger(id)) throw new HttpError(404, 'no such version');
		if (wantsPlainState(req)) return sendPlainState(req, res, await versions.readPlain(roomId, id));
		const state = await versions.read(roomId, id);
		if (!state) throw new HttpError(404, 'no such version');
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(state.byteLength), 'cache-control': 'private, no-store', vary: VARY }).end(state);
	}

	return (req: IncomingMessage, res: ServerResponse): boolean => {
		const match = PATH.exec((req.url ?? '/').split('?')[0]);
		if (!match) return false;
		if (!perAddress.take(req.socket.remoteAddress ?? '')) {
			send(res, 429, { error: 'too many requests; try again in a minute' }, { 'retry-after': '60' });
			return true;
		}
		answer(req, res, match[1], match[2]).catch((error: unknown) => {
			if (error instanceof HttpError) {
				if (!res.headersSent) send(res, error.status, { error: error.message }, error.headers);
				return;
			}
			logger?.error({ err: error, path: req.url }, 'history request failed');
			if (!res.headersSent) send(res, 500, { error: 'the history could not be read' });
		});
		return true;
	};
}
