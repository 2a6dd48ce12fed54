import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH } from '../items';
import { pastedTitles } from './pastedTitles';

describe('pastedTitles', () => {
	it('one title per non-blank line, list markers dropped', () => {
		expect(pastedTitles('Login with SSO\r\n\n  - Export to PDF  \n2. Dark   mode\n[ ] Print\n* \n')).toEqual(['Login with SSO', 'Export to PDF', 'Dark mode', 'Print', '*']);
	});
	it('one line stays one title as typed', () => {
		expect(pastedTitles('- not a list ')).toEqual(['- not a list']);
		expect(pastedTitles('   \n')).toEqual([]);
	});
	it('property: never more titles than lines, each usable as a title', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 2000 }), (text) => {
				const titles = pastedTitles(text);
				expect(titles.length).toBeLessThanOrEqual(text.split(/\r\n?|\n/).length);
				for (const title of titles) {
					expect(title.length).toBeGreaterThan(0);
					expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
					expect(title).not.toMatch(/[\r\n]/);
				}
			})
		);
	});
});
