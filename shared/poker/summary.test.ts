import { describe, expect, it } from 'vitest';
import { DECKS } from './decks';
import { alice, docWithItems } from './fixtures';
import { roundsForItem } from './history';
import { openRound, type OpenedVote } from './opened';
import { acceptEstimate, revealRound, revote, startRound } from './rounds';
import { summarizeItem, summaryCsv, summaryMarkdown, type SummaryLabels } from './summary';
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
	status: { voting: 'voting', revealed: 'revealed', accepted: 'accepted', cancelled: 'cancelled' }
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
	return summarizeItem('i1', '=Login | SSO', rounds, (r) => opened.get(r.id) ?? null, (id) => names[id]);
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
		expect(csv[0]).toBe('Item,Round,Status,Voter,Card,Accepted,Final estimate');
		expect(csv[1]).toBe(`'=Login | SSO,1,revealed,Ann,3,,5`);
		expect(csv[2]).toBe(`'=Login | SSO,1,revealed,"Ben, ""the"" builder",13,,5`);
		expect(csv).toHaveLength(6);
	});
});
