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
		return sameDay
			? `at ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
			: `on ${date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
	},
	updateAvailable: 'A new version of Refinery is available.',
	updateReload: 'Reload to update',
	updateLater: 'Later'
};
