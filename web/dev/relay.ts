import type { Server } from 'node:http';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { RelayMetrics } from '../../server/metrics';
import { SqliteStore } from '../../server/persistence/SqliteStore';
import { withHistory, type History } from '../../server/history/openHistory';
import { SqliteVersionStore } from '../../server/history/SqliteVersionStore';
import { attachRelay } from '../../server/relay/Relay';

/**
 * The relay on the dev server's HTTP server, configured from the environment like `npm start`
 * (DATA_DIR, LOG_LEVEL, limits). Returns a function that flushes and closes it.
 */
export function attachDevRelay(server: Server, useApi?: (api: History['api']) => void): () => Promise<void> {
	const config = loadConfig();
	const history = withHistory(SqliteStore.open(config.dataDir), SqliteVersionStore.open(config.dataDir));
	const store = history.store;
	useApi?.(history.api);
	const relay = attachRelay(server, {
		store,
		logger: createLogger(config.logLevel),
		metrics: new RelayMetrics(),
		limits: config.limits,
		allowedOrigins: config.allowedOrigins,
		idleUnloadMs: config.idleUnloadMs,
		pingIntervalMs: config.pingIntervalMs,
		compactAfterUpdates: config.compactAfterUpdates,
		compactAfterBytes: config.compactAfterBytes
	});
	return async () => {
		await relay.close();
		await store.close();
	};
}
