/**
 * Strings of the editing edges (deleted while typing, cycles, follow, trash, settings, arrival);
 * kept apart from en.ts so parts of the app can be worked on at the same time. A translator adds
 * a file beside this one.
 */
const quote = (title: string, fallback = 'an untitled item') => (title.trim() ? `“${title}”` : fallback);

export const edgesText = {
	quote,
	deleted: {
		/** Said in the pane of an item someone moved to the trash while it was open. */
		by: (title: string, who: string | null) =>
			`${quote(title, 'This item')} was moved to the trash${who ? ` by ${who}` : ''}. What you type is kept; restore it to bring it back to the backlog.`,
		byYou: (title: string) => `${quote(title, 'This item')} is in the trash. What you type is kept; restore it to bring it back to the backlog.`,
		restore: (title: string) => `Restore ${quote(title)}`,
		restored: (title: string) => `${quote(title)} restored.`
	},
	flags: {
		cycle: 'Cycle',
		cycleLong: 'In a blocking cycle',
		cycleHint: 'These items wait on each other, so none of them can start. Open one to break the cycle.',
		blocked: 'Blocked',
		blockedHint: 'Waits on an item that is not done yet.'
	},
	cycle: {
		heading: 'Blocking cycle',
		explain: (chain: string) => `These items wait on each other: ${chain}. None of them can start until one link goes.`,
		break: (item: string, blocker: string) => `Break the cycle: ${item} no longer blocked by ${blocker}`,
		broken: (item: string, blocker: string) => `${item} is no longer blocked by ${blocker}.`,
		/** `chain`: the chain that exists, each blocked by the next; refused: `item` blocked by `blocker`. */
		refused: (chain: string, item: string, blocker: string) =>
			`That link was refused: ${chain} already form a chain, each blocked by the next, so ${item} cannot also be blocked by ${blocker}.`,
		chain: (titles: string[]) => titles.join(' → ')
	},
	blocks: {
		heading: 'Blocks',
		none: 'Blocks nothing.'
	},
	follow: {
		stopped: (name: string) => `You stopped following ${name}: you opened an item yourself.`,
		again: (name: string) => `Follow ${name} again`,
		dismiss: 'Dismiss'
	},
	presence: {
		viewer: (name: string) => `${name} (view only)`
	},
	bulk: {
		status: 'Set status of selected',
		statusButton: 'Set status',
		kind: 'Set kind of selected',
		kindButton: 'Set kind',
		kindSet: (count: number, kind: string) => `${count === 1 ? '1 item' : `${count} items`} set to ${kind}.`,
		cleared: 'Selection cleared.'
	},
	find: {
		hiddenAdded: (title: string) => `${quote(title)} was added, but the filter hides it.`,
		show: (title: string) => `Show ${quote(title)}`
	},
	criteria: {
		newHint: 'Enter adds it; Shift+Enter starts a new line.'
	},
	trash: {
		restoreAll: 'Restore all',
		restoredAll: (count: number) => (count === 1 ? '1 item restored.' : `${count} items restored.`),
		children: (title: string) => `Children of ${quote(title)}`
	},
	skip: 'Skip to the new item field',
	arrival: {
		heading: 'This room has not arrived yet',
		body: 'It was made on a device that has not been online since. Keep this page open: the room fills in as soon as that device connects.',
		status: 'Connected, waiting for the room to arrive',
		title: 'Waiting for the room'
	},
	room: {
		loadingTitle: 'Opening room'
	},
	settings: {
		rename: 'Rename room',
		renameHeading: 'Rename room',
		roomName: 'Room name',
		renameSubmit: 'Rename',
		renamed: (name: string) => `Room renamed to “${name}”.`,
		changeName: 'Change your name',
		changeNameHeading: 'Change your name',
		yourName: 'Your name',
		nameIntro: 'How the others in a room see you. Your name stays on this device.',
		save: 'Save',
		cancel: 'Cancel',
		nameChanged: (name: string) => `You are now ${name}.`
	}
};
