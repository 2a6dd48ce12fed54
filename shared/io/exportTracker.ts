import type { ItemJson, RoomJson } from '../exportJson';
import type { ItemKind, ItemStatus } from '../item';
import type { Tracker } from '../source';
import { csvText } from './csvWriter';
import { exportTree, flattenTree } from './exportTree';
import { escapeLabel } from './labelText';

/**
 * CSVs that a tracker's own CSV importer reads to write the refinement back (docs/IMPORT-EXPORT.md
 * walks through both):
 * - every live item that came from that tracker is a row keyed by its id there, to update it;
 * - every other live item is a row without a key, to create it; a split child names the nearest
 *   ancestor that came from the tracker as its parent, so it is created under it.
 * Rows are in backlog order, parents before children.
 */

const JIRA_TYPE: Record<ItemKind, string> = { story: 'Story', bug: 'Bug', task: 'Task', spike: 'Task', epic: 'Epic' };
/** Our states by name; the person maps them to the workflow's in the wizard ("Map field value"). */
const JIRA_STATUS: Record<ItemStatus, string> = { new: 'To Do', 'needs-refinement': 'Needs Refinement', ready: 'Ready', done: 'Done' };

/** The items in backlog order with, for each, the nearest ancestor that came from `tracker`. */
function rows(room: RoomJson, tracker: Tracker): { item: ItemJson; tracked: boolean; parent: ItemJson | null }[] {
	const nodes = flattenTree(exportTree(room));
	const byId = new Map(nodes.map(({ item }) => [item.id, item]));
	const fromTracker = (item: ItemJson) => item.source?.tracker === tracker;
	return nodes.map(({ item }) => {
		let parent: ItemJson | null = null;
		const seen = new Set<string>();
		for (let at = item.parent; at !== null && !seen.has(at); at = byId.get(at)?.parent ?? null) {
			seen.add(at);
			const candidate = byId.get(at);
			if (candidate && fromTracker(candidate)) {
				parent = candidate;
				break;
			}
		}
		return { item, tracked: fromTracker(item), parent };
	});
}

/**
 * For Jira's CSV importer (System → External system import → CSV): `Issue id` and `Issue key`
 * of each imported issue (map `Issue id` to Jira's Issue Id to update), `Parent` (the parent's
 * Issue id) for new children, Summary, Issue Type, Status, Story Points, Description, and one
 * `Labels` column per label.
 */
export function exportJiraUpdate(room: RoomJson): string {
	const list = rows(room, 'jira');
	const labelColumns = Math.max(1, ...list.map(({ item }) => item.labels.length));
	const header = ['Issue id', 'Issue key', 'Parent', 'Summary', 'Issue Type', 'Status', 'Story Points', 'Description', ...Array(labelColumns).fill('Labels')];
	const body = list.map(({ item, tracked, parent }) => [
		tracked ? (item.source!.id ?? '') : '',
		tracked ? item.source!.key : '',
		tracked || !parent ? '' : (parent.source!.id ?? parent.source!.key),
		item.title,
		JIRA_TYPE[item.kind],
		JIRA_STATUS[item.status],
		item.estimate ?? '',
		item.description,
		...Array.from({ length: labelColumns }, (_, i) => (i < item.labels.length ? escapeLabel(item.labels[i]) : ''))
	]);
	return csvText([header, ...body]);
}

/** Which Azure DevOps process the project uses: it names the estimate field and the story type. */
export type AzureProcess = 'agile' | 'scrum';

const AZURE = {
	agile: {
		estimate: 'Story Points',
		type: { story: 'User Story', bug: 'Bug', task: 'Task', spike: 'Task', epic: 'Epic' },
		state: { new: 'New', 'needs-refinement': 'New', ready: 'Active', done: 'Closed' }
	},
	scrum: {
		estimate: 'Effort',
		type: { story: 'Product Backlog Item', bug: 'Bug', task: 'Task', spike: 'Task', epic: 'Epic' },
		state: { new: 'New', 'needs-refinement': 'New', ready: 'Approved', done: 'Done' }
	}
} satisfies Record<AzureProcess, { estimate: string; type: Record<ItemKind, string>; state: Record<ItemStatus, string> }>;

/** Plain text as the HTML Azure DevOps stores descriptions in (our import reads it back). */
function toHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}

/**
 * For Azure Boards' CSV import (Boards → Work items → Import from CSV): `ID` of each imported
 * work item (rows with an ID update it, rows without create one), `Work Item Type`, `Title`,
 * `State`, the estimate (`Story Points` in the Agile process, `Effort` in Scrum), `Description`
 * (HTML), `Tags` (`; `-separated) and `Parent` (the parent's ID) for new children.
 */
export function exportAzureUpdate(room: RoomJson, process: AzureProcess = 'agile'): string {
	const names = AZURE[process];
	const header = ['ID', 'Work Item Type', 'Title', 'State', names.estimate, 'Description', 'Tags', 'Parent'];
	const body = rows(room, 'azure-devops').map(({ item, tracked, parent }) => [
		tracked ? item.source!.key : '',
		names.type[item.kind],
		item.title,
		names.state[item.status],
		item.estimate ?? '',
		toHtml(item.description),
		item.labels.map(escapeLabel).join('; '),
		tracked || !parent ? '' : parent.source!.key
	]);
	return csvText([header, ...body]);
}
