/**
 * What can be wrong with a row or line of an imported file. Problems carry a code and the
 * values a sentence needs, not a sentence: the web app words them through its i18n module,
 * the CLI through `describeProblem`.
 */
export type ProblemCode =
	| 'empty-file'
	| 'not-text'
	| 'parse'
	| 'field-count'
	| 'title-missing'
	| 'title-too-long'
	| 'description-too-long'
	| 'criterion-too-long'
	| 'label-too-long'
	| 'estimate-invalid'
	| 'too-many-items'
	| 'no-title-column'
	| 'kind-unknown'
	| 'status-unknown'
	| 'parent-unknown';

export interface ImportProblem {
	/** 1-based line of the file where the row or line starts (0: the file as a whole). */
	line: number;
	code: ProblemCode;
	/** The value or count the message is about ("Feature", "12", the parser's own words). */
	detail?: string;
	/** For `field-count`: how many fields the header has. */
	expected?: string;
}

/** Problems that stop an import; the others are warnings (the value falls back to a default). */
export const BLOCKING: ReadonlySet<ProblemCode> = new Set([
	'empty-file',
	'not-text',
	'parse',
	'field-count',
	'title-missing',
	'title-too-long',
	'description-too-long',
	'criterion-too-long',
	'label-too-long',
	'estimate-invalid',
	'too-many-items',
	'no-title-column'
]);

const ENGLISH: Record<ProblemCode, (detail: string, expected: string) => string> = {
	'empty-file': () => 'the file is empty',
	'not-text': () => 'the file is not text (choose a CSV, Markdown, text or JSON file)',
	parse: (d) => `the file cannot be read as CSV (${d})`,
	'field-count': (d, e) => `the row has ${d} fields, the header has ${e}`,
	'title-missing': () => 'the row has no title',
	'title-too-long': (d) => `the title is longer than ${d} characters`,
	'description-too-long': (d) => `the description is longer than ${d} characters`,
	'criterion-too-long': (d) => `an acceptance criterion is longer than ${d} characters`,
	'label-too-long': (d) => `the label "${d}" is longer than 40 characters`,
	'estimate-invalid': (d) => `"${d}" is not an estimate (a card value of 1 to 8 characters)`,
	'too-many-items': (d) => `more than ${d} items`,
	'no-title-column': () => 'no column is used as the title',
	'kind-unknown': (d) => `unknown type "${d}", imported as a story`,
	'status-unknown': (d) => `unknown status "${d}", imported as new`,
	'parent-unknown': (d) => `parent "${d}" is not in the file, imported without a parent`
};

/** The problem in English, for the command line and logs. */
export function describeProblem(problem: ImportProblem): string {
	const where = problem.line > 0 ? `line ${problem.line}: ` : '';
	return where + ENGLISH[problem.code](problem.detail ?? '', problem.expected ?? '');
}

/** Thrown by the CLI and other callers that want a draft with no blocking problems. */
export class BacklogImportError extends Error {
	override name = 'BacklogImportError';
	constructor(readonly problems: ImportProblem[]) {
		super(`Cannot import: ${problems.slice(0, 10).map(describeProblem).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
	}
}
