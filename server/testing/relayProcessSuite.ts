import { rmSync } from 'node:fs';
import type { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll } from 'vitest';
import { tempDataDir } from './relayHarness';
import { startServerProcess, type ServerProcess } from './serverProcess';

/** A file's relay process: started before its tests, killed and its data removed after them. */
export interface RelayProcessSuite {
	readonly dataDir: string;
	/** Providers the tests open; destroyed after the file. */
	readonly providers: WebsocketProvider[];
	/** The running relay (read it inside tests, once `beforeAll` has run). */
	readonly server: ServerProcess;
}

/**
 * One relay process for a whole test file, with the before/after steps every attack test wrote out.
 * @example const relay = relayProcessSuite({ MAX_DOC_BYTES: '1024' }); … relay.server.syncUrl
 */
export function relayProcessSuite(env?: Record<string, string>): RelayProcessSuite {
	const dataDir = tempDataDir();
	const providers: WebsocketProvider[] = [];
	let server: ServerProcess | undefined;
	beforeAll(async () => {
		server = await startServerProcess({ dataDir, env });
	}, 30_000);
	afterAll(async () => {
		for (const provider of providers) provider.destroy();
		server?.child.kill('SIGKILL');
		await server?.exited;
		rmSync(dataDir, { recursive: true, force: true });
	});
	return {
		dataDir,
		providers,
		get server() {
			if (!server) throw new Error('the relay process is not started yet');
			return server;
		}
	};
}
