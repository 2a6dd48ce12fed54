/**
 * Strings of the offline features (sync details, the update prompt); kept apart
 * from en.ts so parts of the app can be worked on at the same time. A translator adds a file
 * beside this one.
 */
export const offlineText = {
	pendingSyncing: (count: number) => (count === 1 ? 'Syncing… 1 change not yet confirmed by the server' : `Syncing… ${count} changes not yet confirmed by the server`),
	/** The exact figure behind a pending count, for the details (tooltip). */
	pendingUpdates: (count: number) => (count === 1 ? '1 update not yet confirmed by the server' : `${count} updates not yet confirmed by the server`),
	lastSynced: (when: string) => `Last synced ${when}`,
	/** Beside a recent room on the home page. */
	unsynced: (count: number) => (count === 1 ? '1 change not yet on the server' : `${count} changes not yet on the server`),
	neverSynced: 'Not yet synced with the server',
	/** `when` for today: the time only; another day: the date and time. */
	formatWhen: (at: number, now = Date.now()): string => {
		const date = new Date(at);
		const sameDay = new Date(now).toDateString() === date.toDateString();
		return sameDay ? `at ${formats.time().format(date)}` : `on ${formats.dateTime().format(date)}`;
	},
	updateAvailable: 'A new version of Refinery is available.',
	updateReload: 'Reload to update',
	updateLater: 'Later'
};

/**
 * The formatters, made on first use and kept: `toLocaleTimeString` with options builds a new one
 * on every call (several ms each, tens for the first), and the status line re-formats on every
 * message from the relay while a room loads.
 */
const formats = {
	time: once(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })),
	dateTime: once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }))
};

function once<T>(make: () => T): () => T {
	let made: T | undefined;
	return () => (made ??= make());
}
