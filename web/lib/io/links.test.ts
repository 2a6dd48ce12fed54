import { describe, expect, it } from 'vitest';
import { fileBaseName } from './download';
import { printPath } from './printLink';

describe('export helpers', () => {
	it('puts the printable view beside the room, the key still in the fragment', () => {
		const roomId = 'q0CzZ0nE2Vq3m8mY2kq3Aw';
		expect(printPath({ roomId, key: 'k'.repeat(22), access: 'edit' })).toBe(`/r/${roomId}/print#k=${'k'.repeat(22)}`);
		expect(printPath({ roomId, key: 'v'.repeat(24), access: 'view' })).toBe(`/r/${roomId}/print#v=${'v'.repeat(24)}`);
	});

	it('makes file names from room names', () => {
		expect(fileBaseName('Checkout team')).toBe('checkout-team');
		expect(fileBaseName('Équipe « paiement » / Q3')).toBe('equipe-paiement-q3');
		expect(fileBaseName('***')).toBe('backlog');
	});
});
