import type { ItemKind, ItemStatus } from '$shared/item';

/**
 * Every string the web app shows or speaks, in one place for a translator. Functions take the
 * values a sentence needs, so word order can change with the language. Poker texts live in
 * shared/poker/strings.ts.
 */
export const en = {
	appName: 'Refinery',
	tagline: 'Refine your product backlog together, live, online or offline.',

	identity: {
		heading: 'Welcome to Refinery',
		intro: 'What should the others in a room call you? Your name stays on this device.',
		nameLabel: 'Your name',
		submit: 'Continue',
		empty: 'Please enter a name.',
		tooLong: (max: number) => `A name can be at most ${max} characters.`,
		you: (name: string) => `${name} (you)`
	},

	home: {
		createHeading: 'Start a room',
		roomNameLabel: 'Room name',
		roomNamePlaceholder: 'Checkout team refinement',
		deckLabel: 'Estimation deck',
		create: 'Create room',
		creating: 'Creating…',
		createFailed: (reason: string) => `The room could not be created: ${reason}`,
		recentHeading: 'Your recent rooms',
		recentEmpty: 'Rooms you open on this device appear here.',
		recentViewOnly: 'view only',
		recentForget: (name: string) => `Remove “${name}” from recent rooms`,
		untitledRoom: 'Untitled room',
		joinHeading: 'Join a room',
		joinLabel: 'Room link',
		joinHint: 'Paste the link someone shared with you.',
		join: 'Join room',
		joinMalformed: 'That is not a Refinery room link. A link looks like https://…/r/…#k=… or …#v=….'
	},

	room: {
		missingKey: 'This link has no key, or a damaged one. Ask for the link again; it ends with #k=… or #v=….',
		backHome: 'Back to the start page',
		loading: 'Opening the room…',
		untitled: 'Untitled room',
		viewOnlyBadge: 'View only',
		viewOnlyNotice: 'You opened a view-only link: you can follow along, but not change anything.',
		toolbarLabel: 'Room actions',
		undo: 'Undo',
		redo: 'Redo',
		undoShortcut: 'Ctrl+Z',
		redoShortcut: 'Ctrl+Shift+Z'
	},

	status: {
		label: 'Connection',
		connecting: 'Connecting…',
		syncing: 'Syncing…',
		synced: 'Connected and synced',
		reconnecting: 'Reconnecting…',
		offline: 'Offline, changes saved on this device',
		offlinePending: (count: number) =>
			count === 1
				? 'Offline: 1 change saved on this device, not yet on the server'
				: `Offline: ${count} changes saved on this device, not yet on the server`,
		reconnectingPending: (count: number) =>
			count === 1 ? 'Reconnecting… 1 change not yet on the server' : `Reconnecting… ${count} changes not yet on the server`
	},

	/** Why the relay closed the connection for good (see server/relay/closeCodes.ts). */
	closed: {
		missingKey: 'This link has no key. Ask for the link again.',
		forbidden: 'This link’s key does not open this room. Ask for the link again.',
		unknownRoom: 'This room does not exist on the server yet. Whoever created it has not been online since.',
		originNotAllowed: 'This server does not accept connections from this address.',
		documentTooLarge: 'This room has grown past the server’s size limit; new changes are not being saved.',
		tooManyConnections: 'Too many connections from this network. Close a few tabs and reload.',
		malformedMessage: 'The server could not understand this app. Reload the page.',
		roomDeleted: 'This room was deleted from the server. Your copy stays on this device: export it if you need it.',
		overBudget: 'Your last change was too large or too complex for the server, so it was not saved. Undo it or split it into smaller changes, then reload.',
		serverFull: 'The server is busy with too many rooms right now. It tries again by itself; your changes stay on this device.',
		storageFull: 'The server is out of storage space, so new changes are not being saved yet. They stay on this device and are sent when space is freed.',
		tooSlow: 'This device fell behind the room and was disconnected. It reconnects by itself; on a slow network, close other tabs.',
		other: (code: number) => `The server closed the connection (code ${code}). Reload to try again.`
	},

	presence: {
		label: 'People in this room',
		editing: (name: string, title: string) => `${name} is editing “${title}”`
	},

	share: {
		share: 'Share',
		heading: 'Share this room',
		close: 'Close',
		editLink: 'Edit link',
		editLinkHint: 'Anyone with this link can change the backlog.',
		viewLink: 'View-only link',
		viewLinkHint: 'Anyone with this link can see the backlog but not change it.',
		copyEdit: 'Copy edit link',
		copyView: 'Copy view-only link',
		copied: 'Link copied',
		copyFailed: 'Could not copy; select the link and copy it yourself.',
		qrHeading: 'QR code for people in the room',
		qrFor: 'Show a QR code for',
		qrView: 'the view-only link',
		qrEdit: 'the edit link',
		qrAlt: (which: string) => `QR code of ${which}`
	},

	backlog: {
		heading: 'Backlog',
		listLabel: 'Backlog items in priority order',
		empty: 'The backlog is empty. Add the first item below.',
		addLabel: 'New item title',
		addPlaceholder: 'As a shopper I want to…',
		add: 'Add item',
		titleLabel: (number: string) => `Title of item ${number}`,
		itemName: (title: string, number: string) => (title.trim() ? `“${title}”` : `item ${number}`),
		moveUp: (name: string) => `Move ${name} up`,
		moveDown: (name: string) => `Move ${name} down`,
		moveTop: (name: string) => `Move ${name} to the top`,
		moveBottom: (name: string) => `Move ${name} to the bottom`,
		remove: (name: string) => `Delete ${name}`,
		moved: (name: string, position: number, count: number) => `${name} moved to position ${position} of ${count}.`,
		added: (title: string) => `“${title}” added.`,
		removed: (name: string) => `${name} moved to the trash. Press Ctrl+Z to undo.`,
		undone: 'Undone.',
		redone: 'Redone.',
		estimate: 'Estimate',
		notEstimated: 'not estimated',
		staleEstimate: (value: string) => `${value}, out of date`,
		children: (count: number) => (count === 1 ? '1 child' : `${count} children`),
		shortcutsHint: 'Alt+↑ and Alt+↓ move the focused item; add Shift to move it to the top or bottom. Press ? for every shortcut.',
		select: (name: string) => `Select ${name}`,
		selectAll: 'Select all items',
		dragHandle: (name: string) => `Drag to reorder ${name}`,
		movedMany: (count: number, position: number, total: number) => `${count} items moved to position ${position} of ${total}.`,
		labelsLabel: 'Labels',
		rowCount: (count: number) => (count === 1 ? '1 item' : `${count} items`)
	},

	/** The detail pane of one item (components/room/detail/). */
	detail: {
		open: (name: string) => `Open ${name}`,
		paneLabel: 'Item details',
		untitled: 'Untitled item',
		close: 'Close details',
		inTrash: 'This item is in the trash. Restore it from the trash to edit it.',
		editing: (name: string) => `${name} is editing`,
		descriptionLabel: 'Description',
		descriptionPlaceholder: 'What and why, in a few sentences…',
		kindLabel: 'Kind',
		statusLabel: 'Status',
		criteriaHeading: 'Acceptance criteria',
		noCriteria: 'No acceptance criteria yet.',
		criterionLabel: (n: number) => `Acceptance criterion ${n}`,
		criterionDone: (n: number) => `Criterion ${n} is met`,
		criterionUp: (n: number) => `Move criterion ${n} up`,
		criterionDown: (n: number) => `Move criterion ${n} down`,
		criterionRemove: (n: number) => `Remove criterion ${n}`,
		criterionRemoved: (n: number) => `Criterion ${n} removed.`,
		criterionMoved: (n: number) => `Criterion moved to position ${n}.`,
		newCriterionLabel: 'New acceptance criterion',
		addCriterion: 'Add criterion',
		criterionEmpty: 'Write the criterion first.',
		readyHeading: 'Definition of Ready',
		readySummary: (done: number, total: number) => (done === total ? `Ready: all ${total} checks met` : `${done} of ${total} checks met`),
		labelsHeading: 'Labels',
		noLabels: 'No labels.',
		newLabelLabel: 'New label',
		addLabel: 'Add label',
		removeLabel: (label: string) => `Remove label “${label}”`,
		labelEmpty: 'Write the label first.',
		labelRefused: 'That label cannot be used: at most 40 characters.',
		dependenciesHeading: 'Blocked by',
		noBlockers: 'Not blocked by anything.',
		blockerInTrash: '(in the trash)',
		blockerPick: 'Item that blocks this one',
		blockerChoose: 'Choose an item…',
		addBlocker: 'Add blocker',
		removeBlocker: (name: string) => `Remove blocker ${name}`,
		blockerRefused: 'That link was refused: the two items would then block each other.',
		estimateHeading: 'Estimate',
		estimateLabel: 'Estimate',
		notEstimated: 'Not estimated',
		stale: 'Out of date',
		staleHint: 'The description or the acceptance criteria changed after this was estimated.',
		confirmEstimate: 'Estimate still holds',
		childrenHeading: 'Children',
		noChildren: 'No children. Split the item to break it down.',
		childSum: (sum: number, estimated: number, unestimated: number) =>
			estimated === 0
				? 'No child is estimated yet.'
				: unestimated === 0
					? `Children’s estimates add up to ${sum}`
					: `Children’s estimates add up to ${sum} (${unestimated} not estimated)`,
		split: 'Split…'
	},

	split: {
		heading: (name: string) => `Split ${name}`,
		intro: 'Each child becomes an item under this one. Leave a title empty to skip that child.',
		childLabel: (n: number) => `Title of child ${n}`,
		addChild: 'Add another child',
		removeChild: (n: number) => `Remove child ${n}`,
		criteriaHeading: 'Where each acceptance criterion goes',
		criterionTarget: (criterion: string) => `Where “${criterion}” goes`,
		keep: 'Stays on the parent',
		toChild: (n: number, title: string) => (title.trim() ? `Child ${n}: ${title}` : `Child ${n}`),
		submit: 'Split',
		cancel: 'Cancel',
		needsChild: 'Give at least one child a title.',
		criterionToEmpty: 'A criterion goes to a child without a title.',
		refused: 'The item changed meanwhile (a criterion was removed, or the item deleted). Check and try again.',
		done: (name: string, count: number) => `${name} split into ${count === 1 ? '1 child' : `${count} children`}.`
	},

	find: {
		label: 'Find items',
		text: 'Search',
		textPlaceholder: 'Title, description, criteria or label',
		kind: 'Kind',
		status: 'Status',
		labelFilter: 'Label',
		ready: 'Definition of Ready',
		any: 'Any',
		isReady: 'Ready',
		notReady: 'Not ready',
		clear: 'Clear filter',
		shown: (count: number, total: number) => `Showing ${count} of ${total} items`,
		children: (name: string) => `Children of ${name}`
	},

	trash: {
		open: 'Trash',
		heading: 'Trash',
		close: 'Close',
		empty: 'The trash is empty.',
		listLabel: 'Deleted items',
		deletedAt: (when: string) => `deleted ${when}`,
		restore: (name: string) => `Restore ${name}`,
		restored: (name: string) => `${name} restored.`
	},

	bulk: {
		toolbar: (count: number) => (count === 1 ? 'Actions for 1 selected item' : `Actions for ${count} selected items`),
		selected: (count: number) => (count === 1 ? '1 selected' : `${count} selected`),
		moveTop: 'Move selected to the top',
		moveUp: 'Move selected up',
		moveDown: 'Move selected down',
		moveBottom: 'Move selected to the bottom',
		oneParentOnly: 'Select items under one parent to move them together.',
		statusLabel: 'Set status of selected',
		statusPlaceholder: 'Set status…',
		labelLabel: 'Label for selected',
		addLabel: 'Add label',
		removeLabel: 'Remove label',
		delete: 'Delete selected',
		clear: 'Clear selection',
		statusSet: (count: number, status: string) => `${count === 1 ? '1 item' : `${count} items`} set to ${status}.`,
		labelAdded: (label: string, count: number) => `Label “${label}” added to ${count === 1 ? '1 item' : `${count} items`}.`,
		labelRemoved: (label: string, count: number) => `Label “${label}” removed from ${count === 1 ? '1 item' : `${count} items`}.`,
		deleted: (count: number) => `${count === 1 ? '1 item' : `${count} items`} moved to the trash. Press Ctrl+Z to undo.`
	},

	follow: {
		follow: (name: string) => `Follow ${name}`,
		stop: (name: string) => `Stop following ${name}`,
		following: (name: string) => `Following ${name}: your view goes where they go.`,
		onItem: (name: string, typing: boolean) => (typing ? `${name} is typing here` : `${name} is looking at this item`)
	},

	shortcuts: {
		open: 'Keyboard shortcuts',
		heading: 'Keyboard shortcuts',
		close: 'Close',
		keysHeader: 'Keys',
		actionHeader: 'Action',
		list: [
			{ keys: '?', action: 'Show this list of shortcuts' },
			{ keys: '↑ / ↓', action: 'Go to the previous or next item (same column)' },
			{ keys: 'Ctrl+Home / Ctrl+End', action: 'Go to the first or last item' },
			{ keys: 'Alt+↑ / Alt+↓', action: 'Move the focused item up or down' },
			{ keys: 'Alt+Shift+↑ / Alt+Shift+↓', action: 'Move the focused item to the top or bottom' },
			{ keys: 'Enter (in an item’s title)', action: 'Open the item beside the list' },
			{ keys: 'Alt+E', action: 'Estimate the focused item with planning poker' },
			{ keys: 'Space (on a checkbox)', action: 'Select or unselect an item' },
			{ keys: 'Shift+click (on a checkbox)', action: 'Select or unselect every item from the last one clicked' },
			{ keys: 'Escape', action: 'Clear the selection; close a dialog, a menu or the item details' },
			{ keys: 'Enter (in the new item field)', action: 'Add the item' },
			{ keys: 'Ctrl+Z', action: 'Undo your last change' },
			{ keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'Redo' },
			{ keys: 'A card’s value, ?, c, p (on the poker table)', action: 'Vote that card: 3, 13… (a short pause ends a number), ? not sure, c coffee, p pass' }
		]
	},

	kinds: {
		story: 'Story',
		bug: 'Bug',
		task: 'Task',
		spike: 'Spike',
		epic: 'Epic'
	} satisfies Record<ItemKind, string>,

	statuses: {
		new: 'New',
		'needs-refinement': 'Needs refinement',
		ready: 'Ready',
		done: 'Done'
	} satisfies Record<ItemStatus, string>
} as const;
