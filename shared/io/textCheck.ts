import type { ImportProblem } from './problems';

/** How much of the start of a text is looked at: a binary file shows itself at once. */
const SAMPLE = 4096;

/**
 * Why a text cannot be a backlog at all, before any format is tried: an empty file, or one that
 * is not text (an image renamed `.csv` decodes to NULs, control characters and U+FFFD, the
 * replacement for bytes that are not UTF-8). Null when it is text worth reading.
 */
export function textProblem(text: string): ImportProblem | null {
	const body = text.replace(/^\uFEFF/, '');
	if (body.trim() === '') return { line: 0, code: 'empty-file' };
	const sample = body.slice(0, SAMPLE);
	if (sample.includes('\u0000')) return { line: 0, code: 'not-text' };
	// eslint-disable-next-line no-control-regex
	const odd = sample.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
	return odd > Math.max(3, sample.length / 20) ? { line: 0, code: 'not-text' } : null;
}
