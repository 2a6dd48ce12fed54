import { describe, expect, it } from 'vitest';
import { DECKS } from './decks';
import { alice, docWithItems } from './fixtures';
import { roundsForItem } from './history';
import { openRound, type OpenedVote } from './opened';
import { acceptEstimate, revealRound, revote, startRound } from './rounds';
import type { Round } from './round';
import { formatDuration, itemDuration, participants, pointsByStatus, summarizeItem, summaryCsv, summaryMarkdown, type SummaryLabels } from './summary';
import { castVote } from './votes';

const labels: SummaryLabels = {
	heading: 'Estimation session',
	item: 'Item',
	rounds: 'Rounds',
	round: 'Round',
	final: 'Final estimate',
	statusHeader: 'Status',
	voter: 'Voter',
	card: 'Card',
	accepted: 'Accepted',
	status: { voting: 'voting', revealed: 'revealed', accepted: 'accepted', cancelled: 'cancelled' },
	date: 'Date',
	participants: 'Participants',
	duration: 'Time',
	durationSeconds: 'Time (seconds)',
	totals: 'Points by status',
	items: 'Items',
	points: 'Points',
	itemStatus: { new: 'New', 'needs-refinement': 'Needs refinement', ready: 'Ready', done: 'Done' }
};

async function estimated() {
	const doc = docWithItems('i1');
	startRound(doc, { itemId: 'i1', deck: DECKS.fibonacci, by: 'alice', id: 'r1' }, alice);
	castVote(doc, 'r1', 'ann', '3', alice);
	castVote(doc, 'r1', 'ben', '13', alice);
	revealRound(doc, 'r1', alice);
	revote(doc, 'r1', { by: 'alice', id: 'r2' }, alice);
	castVote(doc, 'r2', 'ann', '5', alice);
	castVote(doc, 'r2', 'ben', '5', alice);
	revealRound(doc, 'r2', alice);
	acceptEstimate(doc, 'r2', '5', alice);
	const rounds = roundsForItem(doc, 'i1');
	const opened = new Map<string, OpenedVote[]>();
	for (const round of rounds) opened.set(round.id, (await openRound(round)).votes);
	const names: Record<string, string> = { ann: 'Ann', ben: 'Ben, "the" builder' };
	return summarizeItem('i1', '=Login | SSO', rounds, (r) => opened.get(r.id) ?? null, (id) => names[id], 'ready');
}

describe('session summary', () => {
	it('lists every round with its votes and the final value', async () => {
		const item = await estimated();
		expect(item.final).toBe('5');
		expect(item.rounds.map((r) => [r.attempt, r.status, r.votes.map((v) => v.card).join('/')])).toEqual([
			[1, 'revealed', '3/13'],
			[2, 'accepted', '5/5']
		]);
	});

	it('exports Markdown with user text escaped', async () => {
		const md = summaryMarkdown([await estimated()], labels);
		expect(md).toContain('| =Login \\| SSO | 2 | 5 |');
		expect(md).toContain('- Round 2 (accepted) → 5: Ann: 5, Ben, "the" builder: 5');
	});

	it('exports CSV that a spreadsheet reads as text: quoted commas and quotes, no formulas', async () => {
		const csv = summaryCsv([await estimated()], labels).split('\r\n');
		expect(csv[0]).toBe('Item,Round,Status,Voter,Card,Accepted,Final estimate,Time (seconds)');
		expect(csv[1]).toMatch(/^'=Login \| SSO,1,revealed,Ann,3,,5,\d+$/);
		expect(csv[2]).toMatch(/^'=Login \| SSO,1,revealed,"Ben, ""the"" builder",13,,5,\d+$/);
		expect(csv).toHaveLength(6);
	});

	it('issue 14: starts with the room, date and participants, gives each item’s time, and totals points by status', async () => {
		const item = await estimated();
		const md = summaryMarkdown([item, { ...item, itemId: 'i2', title: 'Search', final: '8', status: 'ready' }, { ...item, itemId: 'i3', title: 'Export', final: '3', status: 'done' }], labels, {
			room: 'Checkout team',
			date: '3 December 2026',
			participants: participants([item])
		});
		const lines = md.split('\n');
		expect(lines[0]).toBe('# Estimation session — Checkout team');
		expect(lines[2]).toBe('Date: 3 December 2026  ');
		expect(lines[3]).toBe('Participants: Ann, Ben, "the" builder');
		expect(md).toMatch(/\| =Login \\\| SSO \| 2 \| 5 \| \d+:\d\d \|/);
		expect(md).toContain('| Ready | 2 | 13 |');
		expect(md).toContain('| Done | 1 | 3 |');
	});

	it('measures an item from its first round on the table to its last close', () => {
		const round = { presentedAt: 1_000, startedAt: 500, closedAt: null, revealedAt: 61_000 } as Round;
		expect(itemDuration([round, { ...round, presentedAt: null, startedAt: 70_000, closedAt: 125_000 } as Round])).toBe(124_000);
		expect(itemDuration([{ ...round, revealedAt: null } as Round])).toBeNull();
		expect(formatDuration(124_000)).toBe('2:04');
		expect(formatDuration(3_725_000)).toBe('1:02:05');
	});

	it('counts non-numeric estimates apart in the totals', () => {
		const base = { itemId: 'x', title: 'x', rounds: [], durationMs: null };
		expect(pointsByStatus([{ ...base, final: 'XL', status: 'new' }, { ...base, final: '0.5', status: 'new' }], ['new', 'done'])).toEqual([{ status: 'new', points: 0.5, items: 2, other: 1 }]);
	});
});
