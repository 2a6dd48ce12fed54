import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '../../shared/items';
import { localOrigin } from '../../shared/origins';
import { connectClient, newRoom, synced, waitFor } from '../testing/clients';
import { startTestRelay, type TestRelay } from '../testing/relayHarness';
import { main } from './rooms';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let relay: TestRelay;
let room: Awaited<ReturnType<typeof newRoom>>;

/** Run the CLI exactly as `npm run rooms -- …` would. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/rooms.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: relay.dataDir }
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

async function inProcess(...args: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await main(args, { dataDir: relay.dataDir, out: (t) => (stdout += t), err: (t) => (stderr += t) });
	return { code, stdout, stderr };
}

beforeAll(async () => {
	relay = await startTestRelay();
	room = await newRoom();
	const provider = connectClient(relay.syncUrl, room.roomId, room.editKey);
	await synced(provider);
	createItem(provider.doc, { title: 'Export me', description: 'with a description' }, localOrigin('test'));
	await waitFor(() => (relay.relay.rooms.get(room.roomId)?.size ?? 0) > 0);
	provider.destroy();
	await relay.close({ remove: false });
});
afterAll(async () => {
	await relay.close();
});

describe('rooms CLI', () => {
	it('lists rooms', async () => {
		const { code, stdout } = await cli('list');
		expect(code).toBe(0);
		expect(stdout).toContain(room.roomId);
	});

	it('exports a room as JSON', async () => {
		const { code, stdout } = await cli('export', room.roomId, '--format', 'json');
		expect(code).toBe(0);
		const json = JSON.parse(stdout);
		expect(json.format).toBe('refinery.room');
		expect(json.items.map((item: { title: string }) => item.title)).toEqual(['Export me']);
	});

	it('rejects bad arguments and unknown rooms with non-zero exits', async () => {
		const other = await newRoom();
		expect(await inProcess()).toMatchObject({ code: 2 });
		expect(await inProcess('frobnicate')).toMatchObject({ code: 2 });
		expect(await inProcess('export')).toMatchObject({ code: 2 });
		expect(await inProcess('export', 'not-an-id')).toMatchObject({ code: 2 });
		expect(await inProcess('export', room.roomId, '--format', 'xml')).toMatchObject({ code: 2 });
		expect(await inProcess('export', room.roomId, '--format')).toMatchObject({ code: 2 });
		const unknown = await inProcess('export', other.roomId);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('no room');
		expect(await inProcess('delete', other.roomId)).toMatchObject({ code: 1 });
		const missing = await main(['list'], { dataDir: '/nonexistent/refinery', out: () => {}, err: () => {} });
		expect(missing).toBe(1);
	});

	it('deletes a room and everything stored for it', async () => {
		const { code } = await cli('delete', room.roomId);
		expect(code).toBe(0);
		expect((await inProcess('list')).stdout).not.toContain(room.roomId);
		expect((await inProcess('export', room.roomId)).code).toBe(1);
	});
});
