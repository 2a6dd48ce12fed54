import { isRoomId } from '$shared/ids';

/**
 * How the service worker answers one GET request of its own origin. Pure, so it is unit-tested
 * without a worker:
 * - `{ kind: 'asset' }`: a file of this build or of `static/` (fixed for this version), cache first;
 * - `{ kind: 'shell', shell }`: a page load; every page renders in the browser (`ssr = false`), so
 *   a cached app shell answers any of them, a room included, with no network;
 * - `{ kind: 'network' }`: everything else (the relay's socket, /healthz, /metrics, unknown paths).
 */
export type SwRoute = { kind: 'asset' } | { kind: 'shell'; shell: string } | { kind: 'network' };

/** Paths the server answers itself and that must never come from a cache. */
const SERVER_ONLY = /^\/(sync|healthz|metrics)(\/|$)/;

/**
 * The shells, one per folder depth: SvelteKit writes asset links relative to the page
 * (`./_app/…` on `/`, `../_app/…` on `/r/<id>`), so a room page needs a shell fetched at a
 * room's depth. The server renders the same empty shell for any well-formed room id; this one is
 * 22 base64url characters like a real id, and readable in a log.
 */
export const SHELLS = { root: '/', room: '/r/service-worker-shellAA' } as const;

/**
 * @param pathname the request's path, such as `/r/abc…`
 * @param navigate true for a top-level page load (`request.mode === 'navigate'`)
 * @param assets the precached paths (`$service-worker` build and files)
 * @example swRoute('/r/AAAAAAAAAAAAAAAAAAAAAA', true, assets) // { kind: 'shell', shell: SHELLS.room }
 */
export function swRoute(pathname: string, navigate: boolean, assets: ReadonlySet<string>): SwRoute {
	if (SERVER_ONLY.test(pathname)) return { kind: 'network' };
	if (assets.has(pathname)) return { kind: 'asset' };
	if (!navigate) return { kind: 'network' };
	if (pathname === '/') return { kind: 'shell', shell: SHELLS.root };
	// Only a well-formed room id: anything else is the server's 404, as without a worker.
	const room = /^\/r\/([^/]+)$/.exec(pathname);
	if (room && isRoomId(room[1])) return { kind: 'shell', shell: SHELLS.room };
	return { kind: 'network' };
}

/** The cache of one app version; older ones are deleted when a new worker activates. */
export function cacheName(version: string): string {
	return `refinery-shell-${version}`;
}

/** The message a page sends a waiting worker to take over (the "reload" of the update prompt). */
export const SKIP_WAITING = 'refinery:skip-waiting';
