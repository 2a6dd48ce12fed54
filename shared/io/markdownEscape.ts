/**
 * Inline escapes that keep a room's text inert in a Markdown renderer. A `<` starts raw HTML
 * and autolinks, and `](` starts an inline link or image (the only way left to a `javascript:`
 * or `data:` URL, since a line starting with `[` — a link definition — is escaped by the
 * exporter already). Each gets an odd run of backslashes before it, which CommonMark reads as
 * a literal character; backslashes the text already had there are doubled, so the reverse is
 * exact and any text survives export and import unchanged.
 */
const LT = /(\\*)</g;
const LINK = /\](\\*)\(/g;
const LT_ESCAPED = /(\\*)\\</g;
const LINK_ESCAPED = /\](\\*)\\\(/g;

/**
 * Text as inert Markdown: no raw HTML, no autolinks, no inline links or images.
 * @example escapeInline('<img onerror=x>') // '\\<img onerror=x>'
 */
export function escapeInline(text: string): string {
	return text.replace(LT, (_, slashes: string) => `${slashes}${slashes}\\<`).replace(LINK, (_, slashes: string) => `]${slashes}${slashes}\\(`);
}

/** The inverse of `escapeInline`. A run with an even count of backslashes is not ours and stays. */
export function unescapeInline(text: string): string {
	// `slashes` is the run without its last backslash: an even count means the run was odd, so ours.
	const ours = (slashes: string) => slashes.length % 2 === 0;
	return text
		.replace(LT_ESCAPED, (whole, slashes: string) => (ours(slashes) ? slashes.slice(slashes.length / 2) + '<' : whole))
		.replace(LINK_ESCAPED, (whole, slashes: string) => (ours(slashes) ? ']' + slashes.slice(slashes.length / 2) + '(' : whole));
}
