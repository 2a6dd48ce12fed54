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
	nameOf: (voterId: string) => string
): SummaryItem {
	const summary = rounds.map((round): SummaryRound => {
		const votes = opened(round);
		return {
			attempt: round.attempt,
			status: round.status,
			votes: (votes ?? Object.entries(round.votes).map(([voterId, v]) => ({ voterId, name: v.name ?? null, state: 'waiting' as const, at: v.at })))
				.map((v) => ({ name: v.name ?? nameOf(v.voterId), card: v.state === 'open' ? v.card : null }))
				// Voter ids are random: name order reads better and is the same on every peer.
				.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
			acceptedCard: round.acceptedCard
		};
	});
	const accepted = summary.filter((r) => r.status === 'accepted');
	return { itemId, title, rounds: summary, final: accepted.at(-1)?.acceptedCard ?? null };
}

const mdCell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>#])/g, '\\$1');

/** The session summary as Markdown: a table of items and final values, then each item's rounds. */
export function summaryMarkdown(items: readonly SummaryItem[], labels: SummaryLabels): string {
	const lines = [`# ${mdCell(labels.heading)}`, '', `| ${labels.item} | ${labels.rounds} | ${labels.final} |`, '| --- | ---: | --- |'];
	for (const item of items) lines.push(`| ${mdCell(item.title)} | ${item.rounds.length} | ${item.final === null ? '–' : mdCell(item.final)} |`);
	for (const item of items) {
		lines.push('', `## ${mdCell(item.title)}`, '');
		for (const round of item.rounds) {
			const votes = round.votes.map((v) => `${mdCell(v.name)}: ${v.card === null ? '–' : mdCell(v.card)}`).join(', ') || '–';
			const accepted = round.acceptedCard === null ? '' : ` → ${mdCell(round.acceptedCard)}`;
			lines.push(`- ${labels.round} ${round.attempt} (${labels.status[round.status]})${accepted}: ${votes}`);
		}
	}
	return lines.join('\n') + '\n';
}

/** A spreadsheet must not run a cell as a formula: text that starts like one is prefixed with '. */
function csvCell(text: string): string {
	const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The session summary as CSV: one row per vote (item, round, status, voter, card, accepted, final). */
export function summaryCsv(items: readonly SummaryItem[], labels: SummaryLabels): string {
	const rows = [[labels.item, labels.round, labels.statusHeader, labels.voter, labels.card, labels.accepted, labels.final]];
	for (const item of items) {
		for (const round of item.rounds) {
			const base = [item.title, String(round.attempt), labels.status[round.status]];
			const tail = [round.acceptedCard ?? '', item.final ?? ''];
			if (round.votes.length === 0) rows.push([...base, '', '', ...tail]);
			for (const vote of round.votes) rows.push([...base, vote.name, vote.card ?? '', ...tail]);
		}
	}
	return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
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
}
