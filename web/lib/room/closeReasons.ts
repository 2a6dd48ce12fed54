import { CloseCode } from '../../../server/relay/closeCodes';
import { text } from '../i18n';

/**
 * What to tell a person when the relay closed the connection. y-websocket stops reconnecting on
 * 4400–4499 (see server/relay/closeCodes.ts), so these need a clear message; 4507 (storage full)
 * and 4508 (too slow) are retried, and say so.
 */
export function closeReason(code: number): string {
	switch (code) {
		case CloseCode.missingKey:
			return text.closed.missingKey;
		case CloseCode.forbidden:
			return text.closed.forbidden;
		case CloseCode.unknownRoom:
			return text.closed.unknownRoom;
		case CloseCode.originNotAllowed:
			return text.closed.originNotAllowed;
		case CloseCode.documentTooLarge:
			return text.closed.documentTooLarge;
		case CloseCode.tooManyConnections:
			return text.closed.tooManyConnections;
		case CloseCode.malformedMessage:
			return text.closed.malformedMessage;
		case CloseCode.roomDeleted:
			return text.closed.roomDeleted;
		case CloseCode.overBudget:
			return text.closed.overBudget;
		case CloseCode.serverFull:
			return text.closed.serverFull;
		case CloseCode.storageFull:
			return text.closed.storageFull;
		case CloseCode.tooSlow:
			return text.closed.tooSlow;
		default:
			return text.closed.other(code);
	}
}
