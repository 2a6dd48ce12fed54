/** Strings of the room's layout: theme, header menu, row menu and markers (issue 13), kept apart from en.ts to avoid edit collisions. */
export const layoutText = {
	theme: {
		dark: 'Dark theme'
	},
	header: {
		actions: 'Room actions',
		morePeople: (count: number) => `and ${count} more`,
		morePeopleShort: (count: number) => `+${count}`
	},
	row: {
		menu: (name: string) => `Actions for ${name}`,
		open: 'Open',
		moveTop: 'Move to the top',
		moveUp: 'Move up',
		moveDown: 'Move down',
		moveBottom: 'Move to the bottom',
		estimate: 'Estimate with planning poker',
		split: 'Split…',
		delete: 'Delete',
		blocked: (count: number) => (count === 1 ? 'Blocked by 1 item' : `Blocked by ${count} items`),
		moreLabels: (count: number) => `+${count}`,
		morePeople: (count: number) => `+${count}`,
		kind: (kind: string) => `Kind: ${kind}`,
		status: (status: string) => `Status: ${status}`
	},
	find: {
		toggle: 'Find and filter'
	},
	detail: {
		titleLabel: 'Title'
	}
};
