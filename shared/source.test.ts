import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidInputError, requireItem } from './doc';
import { createItem } from './items';
import { localOrigin } from './origins';
import { checkSource, readSource, safeUrl, setItemSource } from './source';

const me = localOrigin('me');

describe('item sources', () => {
	it('set, read and clear an item’s source', () => {
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A' }, me);
		expect(readSource(requireItem(doc, 'a'))).toBeNull();
		const source = { tracker: 'jira', key: 'PAY-2', id: '10002', url: 'https://acme.atlassian.net/browse/PAY-2' } as const;
		setItemSource(doc, 'a', source, me);
		expect(readSource(requireItem(doc, 'a'))).toEqual(source);
		setItemSource(doc, 'a', null, me);
		expect(readSource(requireItem(doc, 'a'))).toBeNull();
	});
	it('links are http or https only', () => {
		expect(safeUrl('javascript:alert(1)')).toBeNull();
		expect(safeUrl('data:text/html,<script>')).toBeNull();
		expect(safeUrl(' https://github.com/acme/shop/issues/7 ')).toBe('https://github.com/acme/shop/issues/7');
		expect(safeUrl('http://dev.azure.com/x/_workitems/edit/5')).toBe('http://dev.azure.com/x/_workitems/edit/5');
		expect(() => checkSource({ tracker: 'github', key: '#7', url: 'javascript:alert(1)' })).toThrow(InvalidInputError);
		expect(() => checkSource({ tracker: 'trello', key: 'x' })).toThrow(InvalidInputError);
		expect(() => checkSource({ tracker: 'jira', key: 'has space' })).toThrow(InvalidInputError);
		const doc = new Y.Doc();
		createItem(doc, { id: 'a', title: 'A' }, me);
		expect(() => setItemSource(doc, 'a', { tracker: 'linear', key: 'ENG-1', id: null, url: 'vbscript:x' }, me)).toThrow(InvalidInputError);
		// A hostile value written around the writer reads as no source.
		doc.transact(() => requireItem(doc, 'a').set('source', { tracker: 'jira', key: 'X-1', url: 'javascript:alert(1)' }));
		expect(readSource(requireItem(doc, 'a'))).toBeNull();
	});
});
