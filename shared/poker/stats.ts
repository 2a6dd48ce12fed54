import { cardStep, cardValue, COFFEE_CARD, isNumericDeck, PASS_CARD, UNSURE_CARD, valueCards, type Deck } from './decks';

/** One bar of the distribution. */
export interface CardCount {
	card: string;
	count: number;
}

/** What a revealed round shows. Values are numbers for numeric decks and positions (XS = 0) otherwise. */
export interface RoundStats {
	/** Every vote, special cards included. */
	count: number;
	/** Votes with a value: not special, and in the deck. */
	numericCount: number;
	mean: number | null;
	median: number | null;
	/** The most frequent value cards, in deck order; several when tied, none without values. */
	mode: string[];
	/** Highest minus lowest vote, as values and as steps along the deck. */
	spread: { value: number; steps: number } | null;
	/** At least one value vote, and all value votes the same card (special cards do not break it). */
	consensus: boolean;
	/** Every card of the deck, in deck order, with its votes (an array: object keys like "0.5" would not keep order). */
	distribution: CardCount[];
	/** The value card nearest the median; halfway between two cards, the larger one. */
	suggested: string | null;
	unsure: number;
	coffee: number;
	pass: number;
}

interface Counted {
	card: string;
	value: number;
	step: number;
}

function countedVotes(deck: Deck, cards: readonly string[]): Counted[] {
	const counted: Counted[] = [];
	for (const card of cards) {
		const value = cardValue(deck, card);
		if (value !== null) counted.push({ card, value, step: cardStep(deck, card)! });
	}
	return counted;
}

function median(sorted: number[]): number {
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The deck card nearest to a value. On a tie it takes the larger card: a team split
 * between 3 and 5 is safer planning with 5, and it matches rounding half up.
 */
export function nearestCard(deck: Deck, target: number): string | null {
	let best: { card: string; value: number } | null = null;
	for (const card of valueCards(deck)) {
		const value = cardValue(deck, card)!;
		const distance = Math.abs(value - target);
		const bestDistance = best ? Math.abs(best.value - target) : Infinity;
		if (distance < bestDistance || (distance === bestDistance && best && value > best.value)) best = { card, value };
	}
	return best?.card ?? null;
}

/**
 * Statistics of a set of votes (cards) against the deck they were cast with.
 * @example roundStats(DECKS.fibonacci, ['3', '5', '5', '?']).suggested // '5'
 */
export function roundStats(deck: Deck, cards: readonly string[]): RoundStats {
	const counted = countedVotes(deck, cards);
	const values = counted.map((c) => c.value).sort((a, b) => a - b);
	const distribution = deck.cards.map((card) => ({ card, count: cards.filter((c) => c === card).length }));
	const tally = (card: string) => cards.filter((c) => c === card).length;
	const valueCounts = distribution.filter((d) => cardValue(deck, d.card) !== null && d.count > 0);
	const top = Math.max(0, ...valueCounts.map((d) => d.count));
	const steps = counted.map((c) => c.step);
	const mid = values.length ? median(values) : null;
	return {
		count: cards.length,
		numericCount: counted.length,
		mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
		median: mid,
		mode: valueCounts.filter((d) => d.count === top).map((d) => d.card),
		spread: values.length
			? { value: values[values.length - 1] - values[0], steps: Math.max(...steps) - Math.min(...steps) }
			: null,
		consensus: valueCounts.length === 1,
		distribution,
		suggested: mid === null ? null : nearestCard(deck, mid),
		unsure: tally(UNSURE_CARD),
		coffee: tally(COFFEE_CARD),
		pass: tally(PASS_CARD)
	};
}

/**
 * One number to sort items by how much the team disagreed: the spread in deck steps,
 * plus the coefficient of variation squashed into [0, 1) to break ties. 0 for fewer
 * than two value votes. Ordinal decks use positions counted from 1, so XS is not 0.
 */
export function disagreement(deck: Deck, cards: readonly string[]): number {
	const counted = countedVotes(deck, cards);
	if (counted.length < 2) return 0;
	const numeric = isNumericDeck(deck);
	const xs = counted.map((c) => (numeric ? c.value : c.step + 1));
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
	const cv = mean === 0 ? 0 : sd / Math.abs(mean);
	const steps = counted.map((c) => c.step);
	return Math.max(...steps) - Math.min(...steps) + cv / (1 + cv);
}
