import type * as Y from 'yjs';
import { getMeta } from '../doc';
import { readMeta } from '../meta';
import type { Origin } from '../origins';
import { RoundStateError } from './errors';
import { R, readRound, requireRound } from './round';

/**
 * Put a round on the room's table: everyone's poker panel shows it, and only the round on
 * the table is revealed automatically or by its timer (a queue of pre-vote rounds waits
 * quietly until the facilitator brings each up). The room's timer setting starts here,
 * not when the round was made, so a round queued yesterday gets its full time.
 * @example presentRound(doc, roundId, origin)
 */
export function presentRound(doc: Y.Doc, roundId: string, origin: Origin, now = Date.now()): void {
	doc.transact(() => {
		const map = requireRound(doc, roundId);
		const round = readRound(map);
		if (round.status === 'cancelled') throw new RoundStateError(roundId, round.status, 'present');
		const seconds = readMeta(doc).settings.roundTimerSeconds;
		if (round.presentedAt === null) map.set(R.presentedAt, now);
		if (round.status === 'voting') {
			if (seconds && seconds > 0) map.set(R.timerEndsAt, now + seconds * 1000);
			else if (map.has(R.timerEndsAt)) map.delete(R.timerEndsAt);
		}
		getMeta(doc).set(TABLE_KEY, roundId);
	}, origin);
}

/**
 * The meta key of the round on the table: a flat key like the settings (see meta.ts), but not a
 * setting, since it changes with every item estimated.
 */
const TABLE_KEY = 'poker.table';

/** The id of the round on the room's table, or null. */
export function tableRoundId(doc: Y.Doc): string | null {
	const id = getMeta(doc).get(TABLE_KEY);
	return typeof id === 'string' ? id : null;
}

/** Take the round off the table (the table shows nothing until another is presented). */
export function clearTable(doc: Y.Doc, origin: Origin): void {
	doc.transact(() => {
		if (getMeta(doc).has(TABLE_KEY)) getMeta(doc).delete(TABLE_KEY);
	}, origin);
}
