import type { Server } from 'node:http';
import { createLogger } from '../log';
import type { Relay, RelayOptions } from '../relay/Relay';
import { listenRelay } from '../testing/relayHarness';
import { RoomBus } from './RoomBus';

/** A relay in this process sharing its rooms through Redis, on port 0 (tests). */
export interface SharedTestRelay {
	server: Server;
	relay: Relay;
	bus: RoomBus;
	port: number;
	syncUrl: string;
	close(): Promise<void>;
}

/** Start a relay on a Redis; options override test-friendly defaults (fast heartbeats, quick unload). */
export async function startSharedRelay(redisUrl: string, options: Partial<RelayOptions> & { heartbeatMs?: number } = {}): Promise<SharedTestRelay> {
	const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
	const bus = await RoomBus.connect(redisUrl, logger, { heartbeatMs: options.heartbeatMs ?? 200 });
	const { server, relay, port, syncUrl } = await listenRelay({ logger, ...options, store: bus.store, shared: bus });
	let closed = false;
	return {
		server,
		relay,
		bus,
		port,
		syncUrl,
		async close() {
			if (closed) return;
			closed = true;
			server.close();
			await relay.close();
			await bus.close();
			server.closeAllConnections();
		}
	};
}
