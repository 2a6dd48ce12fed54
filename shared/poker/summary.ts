import { csvText } from '../io/csvWriter';
import type { ItemStatus } from '../item';
import type { OpenedVote } from './opened';
import type { Round } from './round';

/** One round of an item in the session summary. */
export interface SummaryRound {
	attempt: number;
	status: Round['status'];
	/** Each vote with the voter's name and card; null card while voting or waiting for a key. */
	votes: { name: string; card: string | null }[];
	acceptedCard: string | null;
}

/** One estimated (or discussed) item in the session summary. */
export interface SummaryItem {
	itemId: string;
	title: string;
	rounds: SummaryRound[];
	/** The accepted estimate of the item's latest accepted round, or null. */
	final: string | null;
	/** The item's status (for the totals), or null when unknown. */
	status: ItemStatus | null;
	/** Time spent on the item: from its first round on the table (or its start) to its last close or reveal; null while none ended. */
	durationMs: number | null;
}

/** Who, where and when: the head of the summary. */
export interface SessionInfo {
	room: string;
	/** The session's day (the first round's), as the reader's locale writes it. */
	date: string;
	/** Everyone who voted, by name, sorted; anonymous rounds add nobody. */
	participants: string[];
}

/** The item's time at the table, from its rounds' records. */
export function itemDuration(rounds: readonly Round[]): number | null {
	if (rounds.length === 0) return null;
	const start = Math.min(...rounds.map((r) => r.presentedAt ?? r.startedAt));
	const ends = rounds.map((r) => r.closedAt ?? r.revealedAt).filter((t): t is number => t !== null);
	if (ends.length === 0) return null;
	return Math.max(0, Math.max(...ends) - start);
}

/** "12:05" (minutes and seconds), or "1:02:05" past an hour. */
export function formatDuration(ms: number): string {
	const total = Math.round(ms / 1000);
	const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
	const two = (n: number) => String(n).padStart(2, '0');
	return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** Everyone named in the items' votes, once each, sorted. */
export function participants(items: readonly SummaryItem[]): string[] {
	return [...new Set(items.flatMap((item) => item.rounds.flatMap((round) => round.votes.map((v) => v.name)).filter((name) => name !== '')))].sort((a, b) => a.localeCompare(b));
}

/**
 * The accepted points added up by the items' status (numeric estimates only; others are counted
 * apart), in the order of `statuses`.
 * @example pointsByStatus(items, ITEM_STATUSES) // [{ status: 'ready', points: 13, items: 3, other: 0 }, …]
 */
export function pointsByStatus(items: readonly SummaryItem[], statuses: readonly ItemStatus[]): { status: ItemStatus; points: number; items: number; other: number }[] {
	return statuses
		.map((status) => {
			const mine = items.filter((item) => item.status === status && item.final !== null);
			const numeric = mine.filter((item) => /^\d+(\.\d+)?$/.test(item.final!));
			return { status, points: numeric.reduce((sum, item) => sum + Number(item.final), 0), items: mine.length, other: mine.length - numeric.length };
		})
		.filter((row) => row.items > 0);
}

/**
 * One item's summary from its rounds (oldest first) and what was opened of each.
 * @example summarizeItem(itemId, title, roundsForItem(doc, itemId), opened, nameOf)
 */
export function summarizeItem(
	itemId: string,
	title: string,
	rounds: readonly Round[],
	opened: (round: Round) => readonly OpenedVote[] | null,
	nameOf: (voterId: string) => string,
	status: ItemStatus | null = null
): SummaryItem {
	const summary = rounds.map((round): SummaryRound => {
		const votes = opened(round);
		return {
			attempt: round.attempt,
			status: round.status,
			votes: (votes ?? Object.entries(round.votes).map(([voterId, v]) => ({ voterId, name: v.name ?? null, state: 'waiting' as const, at: v.at })))
				// An anonymous round's cards carry no names, here as on the table.
				.map((v) => ({ name: round.anonymous ? '' : (v.name ?? nameOf(v.voterId)), card: v.state === 'open' ? v.card : null }))
				// Voter ids are random: name order reads better and is the same on every peer.
				.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
			acceptedCard: round.acceptedCard
		};
	});
	const accepted = summary.filter((r) => r.status === 'accepted');
	return { itemId, title, rounds: summary, final: accepted.at(-1)?.acceptedCard ?? null, status, durationMs: itemDuration(rounds) };
}

const mdCell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>#])/g, '\\$1');

/** The session summary as Markdown: who, where and when; a table of items, final values and time; totals by status; then each item's rounds. */
export function summaryMarkdown(items: readonly SummaryItem[], labels: SummaryLabels, session?: SessionInfo): string {
	const lines = [`# ${mdCell(labels.heading)}${session?.room ? ` — ${mdCell(session.room)}` : ''}`, ''];
	if (session) lines.push(`${labels.date}: ${mdCell(session.date)}  `, `${labels.participants}: ${session.participants.map(mdCell).join(', ') || '–'}`, '');
	lines.push(`| ${labels.item} | ${labels.rounds} | ${labels.final} | ${labels.duration} |`, '| --- | ---: | --- | ---: |');
	for (const item of items) {
		lines.push(`| ${mdCell(item.title)} | ${item.rounds.length} | ${item.final === null ? '–' : mdCell(item.final)} | ${item.durationMs === null ? '–' : formatDuration(item.durationMs)} |`);
	}
	const totals = pointsByStatus(items, Object.keys(labels.itemStatus) as ItemStatus[]);
	if (totals.length > 0) {
		lines.push('', `## ${labels.totals}`, '', `| ${labels.statusHeader} | ${labels.items} | ${labels.points} |`, '| --- | ---: | ---: |');
		for (const row of totals) lines.push(`| ${labels.itemStatus[row.status]} | ${row.items} | ${row.points} |`);
	}
	for (const item of items) {
		lines.push('', `## ${mdCell(item.title)}`, '');
		for (const round of item.rounds) {
			const votes = round.votes.map((v) => (v.name ? `${mdCell(v.name)}: ` : '') + (v.card === null ? '–' : mdCell(v.card))).join(', ') || '–';
			const accepted = round.acceptedCard === null ? '' : ` → ${mdCell(round.acceptedCard)}`;
			lines.push(`- ${labels.round} ${round.attempt} (${labels.status[round.status]})${accepted}: ${votes}`);
		}
	}
	return lines.join('\n') + '\n';
}

/** The session summary as CSV: one row per vote (item, round, status, voter, card, accepted, final, the item's time in seconds). */
export function summaryCsv(items: readonly SummaryItem[], labels: SummaryLabels): string {
	const rows = [[labels.item, labels.round, labels.statusHeader, labels.voter, labels.card, labels.accepted, labels.final, labels.durationSeconds]];
	for (const item of items) {
		for (const round of item.rounds) {
			const base = [item.title, String(round.attempt), labels.status[round.status]];
			const tail = [round.acceptedCard ?? '', item.final ?? '', item.durationMs === null ? '' : String(Math.round(item.durationMs / 1000))];
			if (round.votes.length === 0) rows.push([...base, '', '', ...tail]);
			for (const vote of round.votes) rows.push([...base, vote.name, vote.card ?? '', ...tail]);
		}
	}
	return csvText(rows);
}

/** The words of the exports, from the app's strings (so a translator finds them). */
export interface SummaryLabels {
	heading: string;
	item: string;
	rounds: string;
	round: string;
	final: string;
	statusHeader: string;
	voter: string;
	card: string;
	accepted: string;
	status: Record<Round['status'], string>;
	date: string;
	participants: string;
	duration: string;
	durationSeconds: string;
	totals: string;
	items: string;
	points: string;
	/** Item statuses, in the order the totals list them. */
	itemStatus: Record<ItemStatus, string>;
}
