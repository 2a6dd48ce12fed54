import { checkSource, safeUrl, TRACKERS, type ItemSource, type Tracker } from '../source';

/**
 * Reading where each row of a tracker's CSV lives, from the columns that tracker writes:
 * - our own exports: `Source tracker`, `Source key`, `Source id`, `Source URL`;
 * - Jira: `Issue key` (and `Issue id`); a link when the person gives the site's address;
 * - Azure DevOps: `ID` beside `Work Item Type`; a link from the project's address;
 * - GitHub: the issue `URL` (`https://github.com/acme/shop/issues/7` → `acme/shop#7`);
 * - Linear: an `ID` such as `ENG-12`, its `URL` when there is one, else one from the
 *   workspace's address.
 * Values that do not check (a `javascript:` URL, a key with spaces) give no source.
 */
export interface SourceOptions {
	/**
	 * The tracker's address, for links the file does not carry: a Jira site
	 * (`https://acme.atlassian.net`), an Azure DevOps project (`https://dev.azure.com/acme/shop`)
	 * or a Linear workspace (`https://linear.app/acme`).
	 */
	baseUrl?: string | null;
}

const norm = (header: string) => header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Where a row lives, from its cells by column; null when the file names no tracker. */
export type SourceReader = (cell: (column: number) => string) => ItemSource | null;

/** A reader for a header row, or null when no column says where rows live. */
export function sourceReader(headers: readonly string[], options: SourceOptions = {}): SourceReader | null {
	const at = (...names: string[]) => headers.findIndex((h) => names.includes(norm(h)));
	const base = options.baseUrl ? safeUrl(options.baseUrl)?.replace(/\/+$/, '') ?? null : null;
	const link = (path: string) => (base ? `${base}${path}` : null);
	const make = (tracker: Tracker, key: string, id: string | null, url: string | null): ItemSource | null => {
		if (!key.trim()) return null;
		try {
			return checkSource({ tracker, key: key.trim(), id: id?.trim() || null, url: url && safeUrl(url) });
		} catch {
			return null;
		}
	};

	const ours = at('source tracker');
	if (ours >= 0) {
		const [key, id, url] = [at('source key'), at('source id'), at('source url')];
		return (cell) => {
			const tracker = cell(ours).trim();
			if (!(TRACKERS as readonly string[]).includes(tracker) || key < 0) return null;
			return make(tracker as Tracker, cell(key), id >= 0 ? cell(id) : null, url >= 0 ? cell(url).trim() || null : null);
		};
	}
	const jiraKey = at('issue key');
	if (jiraKey >= 0) {
		const jiraId = at('issue id');
		return (cell) => make('jira', cell(jiraKey), jiraId >= 0 ? cell(jiraId) : null, link(`/browse/${encodeURIComponent(cell(jiraKey).trim())}`));
	}
	const id = at('id', 'work item id');
	if (id >= 0 && at('work item type') >= 0) {
		return (cell) => make('azure-devops', cell(id), null, link(`/_workitems/edit/${encodeURIComponent(cell(id).trim())}`));
	}
	const url = at('url', 'issue url', 'link');
	return (cell) => {
		const address = url >= 0 ? cell(url).trim() : '';
		const github = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)\/?$/.exec(address);
		if (github) return make('github', `${github[1]}#${github[2]}`, null, address);
		const key = id >= 0 ? cell(id).trim() : '';
		if (/^[A-Z][A-Z0-9]*-\d+$/.test(key) && (address === '' || /^https:\/\/linear\.app\//.test(address))) {
			return make('linear', key, null, address || link(`/issue/${key}`));
		}
		return null;
	};
}
