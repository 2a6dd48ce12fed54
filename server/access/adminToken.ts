import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';

/**
 * The header an operator's tools (the rooms CLI) send the token in: never a URL, where proxies
 * and access logs would keep it.
 */
export const ADMIN_TOKEN_HEADER = 'x-refinery-admin-token';

/** The token's file in the data directory. */
export function adminTokenPath(dataDir: string): string {
	return join(dataDir, 'admin-token');
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
	return v4.startsWith('127.') || address === '::1';
}

/**
 * The relay's operator credential: whoever can read the data directory may act on any room
 * through the running relay (restore a version without the room's key), as they could on the
 * files themselves with the relay stopped. A new random token per start, in
 * `DATA_DIR/admin-token` (mode 0600), removed when the relay stops.
 */
export class AdminToken {
	readonly #digest: Buffer;
	readonly path: string;

	private constructor(token: string, path: string) {
		this.#digest = digest(token);
		this.path = path;
	}

	/** Write a fresh token into the data directory (replacing one left by an earlier start). */
	static create(dataDir: string): AdminToken {
		mkdirSync(dataDir, { recursive: true, mode: 0o700 });
		const path = adminTokenPath(dataDir);
		const token = randomBytes(32).toString('base64url');
		// Removed first, then created exclusively with mode 0600: an existing file's mode (or a
		// link planted in its place) is never reused.
		rmSync(path, { force: true });
		const fd = openSync(path, 'wx', 0o600);
		try {
			writeSync(fd, token + '\n');
		} finally {
			closeSync(fd);
		}
		return new AdminToken(token, path);
	}

	/**
	 * Does this request carry the token, from this machine, not through a proxy? A reverse proxy
	 * on the same machine makes every request look local, so any forwarding header refuses it.
	 */
	allows(request: IncomingMessage): boolean {
		const presented = request.headers[ADMIN_TOKEN_HEADER];
		if (typeof presented !== 'string' || presented.length === 0 || presented.length > 128) return false;
		if (!isLoopback(request.socket.remoteAddress)) return false;
		if (request.headers.forwarded !== undefined || request.headers['x-forwarded-for'] !== undefined || request.headers['x-real-ip'] !== undefined) return false;
		return timingSafeEqual(digest(presented), this.#digest);
	}

	/** The relay stopped: the token is no longer good, so its file goes. */
	remove(): void {
		rmSync(this.path, { force: true });
	}
}

/** The running relay's token from its data directory, or null when there is none (or it is not readable). */
export function readAdminToken(dataDir: string): string | null {
	const path = adminTokenPath(dataDir);
	if (!existsSync(path)) return null;
	try {
		return readFileSync(path, 'utf8').trim() || null;
	} catch {
		return null;
	}
}
