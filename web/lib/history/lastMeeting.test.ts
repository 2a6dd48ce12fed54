import { describe, expect, it } from 'vitest';
import { lastMeetingVersion } from './lastMeeting';

const version = (id: number, takenAt: Date) => ({ id, takenAt: takenAt.getTime(), reason: 'quiet' as const, name: null, size: 1 });

describe('lastMeetingVersion', () => {
	const now = new Date(2026, 11, 3, 15, 0);
	it('picks the newest version taken before today, not today’s own', () => {
		const versions = [version(3, new Date(2026, 11, 3, 10, 0)), version(2, new Date(2026, 10, 26, 16, 0)), version(1, new Date(2026, 10, 19, 16, 0))];
		expect(lastMeetingVersion(versions, now.getTime())?.id).toBe(2);
	});
	it('picks the oldest when every version is from today, and nothing without versions', () => {
		expect(lastMeetingVersion([version(5, new Date(2026, 11, 3, 12)), version(4, new Date(2026, 11, 3, 9))], now.getTime())?.id).toBe(4);
		expect(lastMeetingVersion([], now.getTime())).toBeNull();
	});
});
