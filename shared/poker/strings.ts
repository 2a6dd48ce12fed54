/**
 * Every poker text a person sees, in one place for a translator. Card values
 * stored in the document ("0.5", "pass") are data and never change; only the
 * faces and names shown for them come from here.
 */
export const POKER_TEXT = {
	deckNames: {
		fibonacci: 'Fibonacci',
		modifiedFibonacci: 'Modified Fibonacci',
		tshirt: 'T-shirt sizes',
		powersOfTwo: 'Powers of two',
		custom: 'Custom'
	},
	/** What a card face shows when it differs from the stored value. */
	cardFaces: { '0.5': '½', pass: 'Pass' } as Record<string, string>,
	/** Accessible names of the special cards. */
	specialCardNames: { '?': 'Not sure', '☕': 'Need a break', pass: 'Pass' } as Record<string, string>
} as const;

/** The text to show on a card: "½" for "0.5", a translated "Pass", else the value itself. */
export function cardFace(card: string): string {
	return POKER_TEXT.cardFaces[card] ?? card;
}

/** The accessible name of a card: a spoken name for special cards, else its face. */
export function cardName(card: string): string {
	return POKER_TEXT.specialCardNames[card] ?? cardFace(card);
}
