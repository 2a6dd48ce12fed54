import type { Change } from '$shared/history/changes';
import type { VersionReason } from '$shared/history/versionsApi';

/** Strings of the room's history (issue 16), kept apart from en.ts to avoid edit collisions. */
const reasons: Record<VersionReason, string> = {
	quiet: 'After a pause in editing',
	hourly: 'Hourly while editing',
	'before-import': 'Before an import',
	'before-bulk-delete': 'Before a bulk delete',
	'before-restore': 'Before a restore',
	manual: 'Saved by hand'
};

const fields: Record<string, string> = {
	title: 'Title',
	description: 'Description',
	kind: 'Type',
	status: 'Status',
	estimate: 'Estimate',
	parent: 'Parent',
	labels: 'Labels',
	ready: 'Definition of Ready',
	blockedBy: 'Blocked by'
};

const quote = (value: string | null) => (value === null || value === '' ? 'nothing' : `“${value}”`);
const places = (n: number) => `${Math.abs(n)} ${Math.abs(n) === 1 ? 'place' : 'places'}`;

export const history = {
	open: 'History',
	heading: 'Room history',
	description: 'Versions of this room kept by the server, and what changed since one of them.',
	close: 'Close',
	saveHeading: 'Save a version',
	nameLabel: 'Name (optional)',
	save: 'Save a version',
	saving: 'Saving…',
	saved: (name: string) => `Saved a version${name ? ` “${name}”` : ''}.`,
	unchanged: 'Nothing changed since the last version; it is kept as it is.',
	versionsHeading: 'Versions',
	noVersions: 'No versions yet. One is saved when the room goes quiet after edits, or when you save one.',
	loading: 'Loading…',
	failed: (message: string) => `The history could not be loaded: ${message}`,
	offline: 'The history needs a connection to the server.',
	reason: (reason: VersionReason) => reasons[reason],
	size: (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`),
	versionLabel: (date: string, name: string | null, reason: VersionReason) => `${date}${name ? ` — ${name}` : ''} (${reasons[reason]})`,
	restoreRoom: (date: string) => `Restore the room to ${date}`,
	confirmRestore: 'Yes, restore',
	cancel: 'Cancel',
	restoreRoomConfirm: (date: string) => `Restore the whole room to how it was on ${date}? Items made since go to the trash. You can undo this.`,
	restoredRoom: (date: string) => `The room is back to how it was on ${date}. Press Ctrl+Z to undo.`,
	restoreItem: (title: string) => `Restore “${title}” to this version`,
	restoredItem: (title: string) => `“${title}” is back to how it was. Press Ctrl+Z to undo.`,
	sinceHeading: 'Since the last meeting',
	sinceLabel: 'Changes since',
	sinceHint: 'The newest version before today, or any version you choose.',
	noChanges: 'Nothing changed since then.',
	changesCount: (n: number, items: number) => `${n} ${n === 1 ? 'change' : 'changes'} in ${items} ${items === 1 ? 'item' : 'items'}`,
	openItem: (title: string) => `Open “${title}”`,
	untitled: '(untitled)',
	unread: 'Changed since the last meeting',
	markRead: 'Mark all as read',
	itemHeading: 'History',
	itemShow: 'Show this item’s history',
	itemNone: 'This item is in no version yet.',
	itemListLabel: 'This item over the versions',
	itemTitle: 'Title',
	itemStatus: 'Status',
	itemEstimate: 'Estimate',
	itemCriteria: 'Acceptance criteria',
	itemMissing: 'not in the room',
	now: 'Now',
	change(change: Change, titleOf: (id: string) => string): string {
		switch (change.type) {
			case 'added':
				return 'Added';
			case 'deleted':
				return 'Moved to the trash';
			case 'restored':
				return 'Restored from the trash';
			case 'removed':
				return 'Gone from the room (not in the trash)';
			case 'moved':
				return change.places > 0 ? `Moved down ${places(change.places)}` : change.places < 0 ? `Moved up ${places(change.places)}` : 'Moved';
			case 'split':
				return `Split into ${change.children.map((c) => `“${c.title}”`).join(', ')}`;
			case 'text':
				return `${fields[change.field]}: ${quote(change.before)} → ${quote(change.after)}`;
			case 'value':
				return change.field === 'parent'
					? `Parent: ${change.before ? quote(titleOf(change.before)) : 'none'} → ${change.after ? quote(titleOf(change.after)) : 'none'}`
					: `${fields[change.field]}: ${quote(change.before)} → ${quote(change.after)}`;
			case 'set': {
				const name = (id: string) => (change.field === 'blockedBy' ? `“${titleOf(id)}”` : `“${id}”`);
				const parts = [...change.added.map((x) => `+${name(x)}`), ...change.removed.map((x) => `−${name(x)}`)];
				return `${fields[change.field]}: ${parts.join(', ')}`;
			}
			case 'criterion':
				if (change.change === 'edited') return `Acceptance criterion: ${quote(change.before)} → ${quote(change.after)}`;
				return `Acceptance criterion ${{ added: 'added', removed: 'removed', done: 'ticked', undone: 'unticked' }[change.change]}: ${quote(change.text)}`;
		}
	}
};
