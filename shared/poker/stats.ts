import { cardStep, COFFEE_CARD, isNumericDeck, PASS_CARD, UNSURE_CARD, valueCards, type Deck } from './decks';

/** One bar of the distribution. */
export interface CardCount {
	card: string;
	count: number;
}

/**
 * What a revealed round shows, fitted to its deck. A numeric deck (every value card a number)
 * has a mean, a median and a spread in values; an ordinal deck (T-shirt sizes, custom words)
 * has only what its order supports: a median and a mode that are cards, and a spread in deck
 * steps. Positions are never shown as if they were numbers.
 */
export interface RoundStats {
	/** 'numeric' when every value card of the deck is a number, else 'ordinal'. */
	scale: 'numeric' | 'ordinal';
	/** Every vote, special cards included. */
	count: number;
	/** Real estimates: votes with a value card of the deck (not ?, ☕, pass or a stranger). */
	numericCount: number;
	/** Numeric decks only. */
	mean: number | null;
	/** Numeric decks only: the middle value, between two cards on an even count. */
	median: number | null;
	/** The middle estimate as a card: on an even count of an ordinal deck, the larger of the two middle cards. */
	medianCard: string | null;
	/** The most frequent value cards, in deck order; several when tied, none without values. */
	mode: string[];
	/** Highest minus lowest estimate: in values (numeric decks only) and in steps along the deck. */
	spread: { value: number | null; steps: number } | null;
	/** At least two real estimates, all on the same card (?, ☕ and pass neither make nor break it). */
	consensus: boolean;
	/** Every card of the deck, in deck order, with its votes (an array: object keys like "0.5" would not keep order). */
	distribution: CardCount[];
	/** The card to preselect for accepting: nearest the median (numeric), the median card (ordinal). */
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

function countedVotes(deck: Deck, cards: readonly string[], numeric: boolean): Counted[] {
	const counted: Counted[] = [];
	for (const card of cards) {
		const step = cardStep(deck, card);
		if (step !== null) counted.push({ card, value: numeric ? Number(card) : step, step });
	}
	return counted;
}

function median(sorted: number[]): number {
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The deck card nearest to a value of a numeric deck. On a tie it takes the larger card: a team
 * split between 3 and 5 is safer planning with 5, and it matches rounding half up.
 */
export function nearestCard(deck: Deck, target: number): string | null {
	let best: { card: string; value: number } | null = null;
	for (const card of valueCards(deck)) {
		const value = Number(card);
		const distance = Math.abs(value - target);
		const bestDistance = best ? Math.abs(best.value - target) : Infinity;
		if (distance < bestDistance || (distance === bestDistance && best && value > best.value)) best = { card, value };
	}
	return best?.card ?? null;
}

/**
 * Statistics of a set of votes (cards) against the deck they were cast with.
 * @example roundStats(DECKS.fibonacci, ['3', '5', '5', '?']).suggested // '5'
 * @example roundStats(DECKS.tshirt, ['M', 'L', 'XL']).medianCard // 'L' (and mean is null)
 */
export function roundStats(deck: Deck, cards: readonly string[]): RoundStats {
	const numeric = isNumericDeck(deck);
	const counted = countedVotes(deck, cards, numeric);
	const values = counted.map((c) => c.value).sort((a, b) => a - b);
	const steps = counted.map((c) => c.step).sort((a, b) => a - b);
	const distribution = deck.cards.map((card) => ({ card, count: cards.filter((c) => c === card).length }));
	const tally = (card: string) => cards.filter((c) => c === card).length;
	const valueCounts = distribution.filter((d) => cardStep(deck, d.card) !== null && d.count > 0);
	const top = Math.max(0, ...valueCounts.map((d) => d.count));
	const mid = values.length && numeric ? median(values) : null;
	// The upper middle on an even count: the same "larger card on a tie" as nearestCard.
	const medianCard = steps.length ? valueCards(deck)[steps[steps.length >> 1]] : null;
	return {
		scale: numeric ? 'numeric' : 'ordinal',
		count: cards.length,
		numericCount: counted.length,
		mean: numeric && values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
		median: mid,
		medianCard: numeric ? (mid === null ? null : nearestCard(deck, mid)) : medianCard,
		mode: valueCounts.filter((d) => d.count === top).map((d) => d.card),
		spread: steps.length ? { value: numeric ? values[values.length - 1] - values[0] : null, steps: steps[steps.length - 1] - steps[0] } : null,
		consensus: counted.length >= 2 && valueCounts.length === 1,
		distribution,
		suggested: numeric ? (mid === null ? null : nearestCard(deck, mid)) : medianCard,
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
	const numeric = isNumericDeck(deck);
	const counted = countedVotes(deck, cards, numeric);
	if (counted.length < 2) return 0;
	const xs = counted.map((c) => (numeric ? c.value : c.step + 1));
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
	const cv = mean === 0 ? 0 : sd / Math.abs(mean);
	const steps = counted.map((c) => c.step);
	return Math.max(...steps) - Math.min(...steps) + cv / (1 + cv);
}
