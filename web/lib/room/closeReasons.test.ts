import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../server/relay/closeCodes';
import { text } from '../i18n';
import { closeReason } from './closeReasons';

describe('closeReason', () => {
	it('has its own plain message for every refusal code the relay sends', () => {
		const generic = (code: number) => text.closed.other(code);
		const refusals = Object.values(CloseCode).filter((code) => code >= 4000);
		for (const code of refusals) expect(closeReason(code), `code ${code}`).not.toBe(generic(code));
		// Each says something different: no two codes share a message.
		expect(new Set(refusals.map(closeReason)).size).toBe(refusals.length);
	});

	it('tells the person what they can do for a deleted room, a change over budget, a full server and a slow connection', () => {
		expect(closeReason(CloseCode.roomDeleted)).toMatch(/deleted/);
		expect(closeReason(CloseCode.roomDeleted)).toMatch(/export/);
		expect(closeReason(CloseCode.overBudget)).toMatch(/smaller changes/);
		expect(closeReason(CloseCode.storageFull)).toMatch(/out of storage/);
		expect(closeReason(CloseCode.storageFull)).toMatch(/stay on this device/);
		expect(closeReason(CloseCode.tooSlow)).toMatch(/reconnects by itself/);
	});

	it('falls back to the code for anything else', () => {
		expect(closeReason(4999)).toBe(text.closed.other(4999));
	});
});
