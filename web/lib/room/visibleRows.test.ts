import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addCriterion } from '$shared/criteria';
import { createItem, setItemText, setStatus } from '$shared/items';
import { addLabel } from '$shared/labels';
import { localOrigin } from '$shared/origins';
import { readyChecklist, setReadyCheck } from '$shared/ready';
import { splitItem } from '$shared/split';
import { backlogRows } from './backlogRows';
import { rowFacts } from './rowFacts';
import { NO_FILTER, visibleRows, type RowFilter } from './visibleRows';

const origin = localOrigin('tester');

/** A backlog: "Checkout" split into "Card" and "Wallet" ("Wallet" split into "Apple Pay"), then "Search". */
function room() {
	const doc = new Y.Doc();
	const checkout = createItem(doc, { title: 'Checkout', kind: 'epic' }, origin);
	const search = createItem(doc, { title: 'Search', kind: 'story' }, origin);
	const [card, wallet] = splitItem(doc, checkout, [{ title: 'Card' }, { title: 'Wallet' }], origin);
	const [applePay] = splitItem(doc, wallet, [{ title: 'Apple Pay' }], origin);
	return { doc, checkout, search, card, wallet, applePay };
}

function shown(doc: Y.Doc, filter: Partial<RowFilter> = {}, collapsed: string[] = []): string[] {
	return visibleRows(backlogRows(doc), { collapsed: new Set(collapsed), filter: { ...NO_FILTER, ...filter }, facts: rowFacts(doc) }).map(
		(row) => row.title
	);
}

describe('visibleRows', () => {
	test('no filter and nothing collapsed shows every row in order', () => {
		const { doc } = room();
		expect(shown(doc)).toEqual(['Checkout', 'Card', 'Wallet', 'Apple Pay', 'Search']);
	});

	test('collapsing a parent hides all its descendants, not its siblings', () => {
		const { doc, checkout, wallet } = room();
		expect(shown(doc, {}, [wallet])).toEqual(['Checkout', 'Card', 'Wallet', 'Search']);
		expect(shown(doc, {}, [checkout])).toEqual(['Checkout', 'Search']);
	});

	test('text matches title, labels and description, ignoring case and spaces around', () => {
		const { doc, search, card } = room();
		expect(shown(doc, { text: '  SEARCH ' })).toEqual(['Search']);
		addLabel(doc, [search], 'frontend', origin);
		expect(shown(doc, { text: 'front' })).toEqual(['Search']);
		setItemText(doc, card, 'description', 'Visa and Mastercard via the PSP', origin);
		expect(shown(doc, { text: 'mastercard' })).toEqual(['Checkout', 'Card']);
	});

	test('text matches acceptance criteria too', () => {
		const { doc, search } = room();
		expect(shown(doc, { text: 'gherkin' })).toEqual([]);
		addCriterion(doc, search, 'Results use the Gherkin template', origin);
		expect(shown(doc, { text: 'gherkin' })).toEqual(['Search']);
	});

	test('a matching child shows its ancestors for context; a matching parent brings its children', () => {
		const { doc } = room();
		expect(shown(doc, { text: 'apple' })).toEqual(['Checkout', 'Wallet', 'Apple Pay']);
		expect(shown(doc, { text: 'wallet' })).toEqual(['Checkout', 'Wallet', 'Apple Pay']);
	});

	test('kind, status and label narrow; all given fields must match', () => {
		const { doc, search, card } = room();
		expect(shown(doc, { kind: 'epic' })).toEqual(['Checkout', 'Card', 'Wallet', 'Apple Pay']);
		setStatus(doc, search, 'ready', origin);
		setStatus(doc, card, 'ready', origin);
		expect(shown(doc, { status: 'ready' })).toEqual(['Checkout', 'Card', 'Search']);
		addLabel(doc, [card], 'payments', origin);
		expect(shown(doc, { status: 'ready', label: 'payments' })).toEqual(['Checkout', 'Card']);
		// Labels compare without case.
		expect(shown(doc, { status: 'ready', label: 'Payments' })).toEqual(['Checkout', 'Card']);
		expect(shown(doc, { status: 'done' })).toEqual([]);
	});

	test('ready or not follows the Definition of Ready', () => {
		const { doc, search } = room();
		for (const check of readyChecklist(doc)) setReadyCheck(doc, search, check.id, true, origin);
		expect(shown(doc, { ready: 'ready' })).toEqual(['Search']);
		expect(shown(doc, { ready: 'not-ready' })).toEqual(['Checkout', 'Card', 'Wallet', 'Apple Pay']);
	});

	test('filter and collapse together: a collapsed matching parent hides its children', () => {
		const { doc, wallet } = room();
		expect(shown(doc, { text: 'wallet' }, [wallet])).toEqual(['Checkout', 'Wallet']);
	});

	test('rows come back unchanged, numbers and siblings as in the full list', () => {
		const { doc } = room();
		const rows = backlogRows(doc);
		const [wallet] = visibleRows(rows, { collapsed: new Set(), filter: { ...NO_FILTER, text: 'wallet' }, facts: rowFacts(doc) }).slice(1);
		expect(wallet).toBe(rows[2]);
	});
});
