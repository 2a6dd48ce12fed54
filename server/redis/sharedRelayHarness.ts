import { createServer, type Server } from 'node:http';
import { createRequestHandler } from '../http';
import { createLogger } from '../log';
import { attachRelay, type Relay, type RelayOptions } from '../relay/Relay';
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
	const server = createServer();
	const relay = attachRelay(server, {
		logger,
		idleUnloadMs: 200,
		...options,
		store: bus.store,
		shared: bus,
		limits: { maxConnectionsPerAddress: 1000, maxAttemptsPerMinute: 100_000, ...options.limits }
	});
	server.on('request', createRequestHandler({ relay, app: null }));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	let closed = false;
	return {
		server,
		relay,
		bus,
		port,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
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
