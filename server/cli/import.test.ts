import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRoom } from '../../shared/exportJson';
import { orderedIds } from '../../shared/order';
import { connectClient, synced, waitFor } from '../testing/clients';
import { startTestRelay } from '../testing/relayHarness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'shared/io/fixtures');
let dataDir: string;
let scratch: string;

/** Run the CLI exactly as `npm run rooms -- …` would, on `dataDir`. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: '', REDIS_URL: '', ...env }
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

const LINK = /^http:\/\/localhost:3000\/r\/([A-Za-z0-9_-]{22})#k=([A-Za-z0-9_-]{22})\n$/;

beforeAll(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'refinery-cli-import-'));
	scratch = mkdtempSync(join(tmpdir(), 'refinery-cli-files-'));
});
afterAll(() => {
	rmSync(dataDir, { recursive: true, force: true });
	rmSync(scratch, { recursive: true, force: true });
});

// Each step runs the CLI as a child process (a second or more on a busy machine).
describe('rooms CLI import and export', { timeout: 120_000 }, () => {
	let jiraRoom: { roomId: string; key: string };

	it('creates a room from a Jira CSV in a fresh data directory and prints a link the relay accepts', async () => {
		const { code, stdout, stderr } = await cli(['import', join(FIXTURES, 'jira.csv')]);
		expect(stderr).toContain('created room "jira" with 4 items');
		expect(code).toBe(0);
		const match = LINK.exec(stdout);
		expect(match).not.toBeNull();
		jiraRoom = { roomId: match![1], key: match![2] };

		// The link works: a stock y-websocket client with the printed key gets the backlog.
		const relay = await startTestRelay({ dataDir });
		try {
			const provider = connectClient(relay.syncUrl, jiraRoom.roomId, jiraRoom.key);
			await synced(provider);
			await waitFor(() => orderedIds(provider.doc).length === 4);
			const json = exportRoom(provider.doc);
			expect(json.items.map((i) => i.title)).toEqual(['Crash on "empty" cart', 'Pay by card', 'Payments', 'Refund a payment']);
			expect(json.items[1].criteria.map((c) => c.text)).toEqual(['Visa and Mastercard work', 'Declined cards show an error']);
			provider.destroy();
			// A wrong key is still refused: the room is claimed with the key check.
			const intruder = connectClient(relay.syncUrl, jiraRoom.roomId, 'A'.repeat(22));
			const closed = await new Promise<number>((resolve) => intruder.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
			expect(closed).toBe(4403);
			intruder.destroy();
		} finally {
			await relay.close({ remove: false });
		}
	});

	it('exports the room as CSV, Markdown and an update CSV for Jira', async () => {
		const csv = await cli(['export', jiraRoom.roomId, '--format', 'csv']);
		expect(csv.code).toBe(0);
		expect(csv.stdout.split('\r\n')[0]).toBe('Issue Id,Parent Id,Summary,Issue Type,Status,Story Points,Description,Acceptance Criteria,Labels,Labels,Labels,Source tracker,Source key,Source id,Source URL');
		const jira = await cli(['export', jiraRoom.roomId, '--format', 'jira']);
		expect(jira.code).toBe(0);
		expect(jira.stdout.split('\r\n')[0]).toBe('Issue id,Issue key,Parent,Summary,Issue Type,Status,Story Points,Description,Labels,Labels,Labels');
		expect(jira.stdout).toContain('10002,PAY-2,,Pay by card,Story,Ready,5,');
		const md = await cli(['export', jiraRoom.roomId, '--format', 'md']);
		expect(md.code).toBe(0);
		expect(md.stdout).toMatch(/^# jira\n/);
		expect(md.stdout).toContain('- [ ] Visa and Mastercard work');
	});

	it('recreates a room from its JSON export, and names rooms from options and Markdown titles', async () => {
		const exported = await cli(['export', jiraRoom.roomId, '--format', 'json']);
		const file = join(scratch, 'room.json');
		writeFileSync(file, exported.stdout);
		const imported = await cli(['import', file, '--base-url', 'https://refinery.example/'], {});
		expect(imported.code).toBe(0);
		const match = /^https:\/\/refinery\.example\/r\/([A-Za-z0-9_-]{22})#k=[A-Za-z0-9_-]{22}\n$/.exec(imported.stdout);
		expect(match).not.toBeNull();
		const again = await cli(['export', match![1], '--format', 'json']);
		const { exportedAt: _a, ...before } = JSON.parse(exported.stdout);
		const { exportedAt: _b, ...after } = JSON.parse(again.stdout);
		expect(after).toEqual(before);

		const md = await cli(['import', join(FIXTURES, 'outline.md')], { PUBLIC_URL: 'http://meeting.local:3000' });
		expect(md.code).toBe(0);
		expect(md.stdout).toMatch(/^http:\/\/meeting\.local:3000\/r\//);
		expect(md.stderr).toContain('created room "Mobile app" with 7 items');
		const named = await cli(['import', join(FIXTURES, 'linear.csv'), '--name', 'Search team']);
		expect(named.stderr).toContain('created room "Search team" with 3 items');
	});

	it('refuses a malformed file with its lines and stores nothing', async () => {
		const before = (await cli(['list'])).stdout;
		const bad = await cli(['import', join(FIXTURES, 'malformed.csv')]);
		expect(bad.code).toBe(1);
		expect(bad.stdout).toBe('');
		expect(bad.stderr).toContain('line 3: the row has 4 fields, the header has 3');
		expect(bad.stderr).toContain('line 6: the file cannot be read as CSV');
		expect(bad.stderr).toContain('nothing was imported');
		const json = join(scratch, 'broken.json');
		writeFileSync(json, '{"format":"refinery.room","schemaVersion":1,"room":{},"items":[{"id":"a","title":"x","kind":"feature"}]}');
		const badJson = await cli(['import', json]);
		expect(badJson.code).toBe(1);
		expect(badJson.stderr).toContain('items[0].kind: unknown kind "feature"');
		expect((await cli(['import', join(scratch, 'missing.csv')])).code).toBe(1);
		expect((await cli(['import', join(FIXTURES, 'jira.csv'), '--format', 'xml'])).code).toBe(2);
		expect((await cli(['list'])).stdout).toBe(before);
	});

});
