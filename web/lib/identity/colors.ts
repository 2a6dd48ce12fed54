/**
 * Person colors: each dark enough for white initials (contrast at least 4.5:1) and told apart by
 * hue in both themes.
 */
export const PERSON_COLORS = [
	'#b42318',
	'#b54708',
	'#027a48',
	'#026aa2',
	'#5925dc',
	'#c11574',
	'#0e7090',
	'#4e5ba6',
	'#7a2e0e',
	'#344054'
] as const;

/** A color picked at random for a new person. */
export function randomPersonColor(random = Math.random): string {
	return PERSON_COLORS[Math.floor(random() * PERSON_COLORS.length)];
}

/** Up to two initials for an avatar: "Ada Lovelace" → "AL", "grace" → "G". */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/).filter(Boolean);
	const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
	return letters.map((word) => [...word][0]?.toUpperCase() ?? '').join('') || '?';
}
