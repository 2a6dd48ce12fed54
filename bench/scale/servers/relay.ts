import { createServer } from 'node:http';
import { createLogger } from '../../../server/log';
import { SqliteStore } from '../../../server/persistence/SqliteStore';
import type { RoomStore } from '../../../server/persistence/RoomStore';
import { RoomBus } from '../../../server/redis/RoomBus';
import { attachRelay } from '../../../server/relay/Relay';
import { benchEndpoint } from '../../relay/servers/benchEndpoint';

/** Our relay as the scale benchmark runs it: on Redis when REDIS_URL is set, else SQLite in DATA_DIR. */
const logger = createLogger('warn');
const bus = process.env.REDIS_URL ? await RoomBus.connect(process.env.REDIS_URL, logger, { heartbeatMs: 2000 }) : null;
const store: RoomStore = bus ? bus.store : SqliteStore.open(process.env.DATA_DIR!, { backgroundCheckpointMs: 100 });
const server = createServer((req, res) => benchEndpoint(req, res) || res.writeHead(404).end());
attachRelay(server, {
	store,
	shared: bus ?? undefined,
	logger,
	limits: { maxConnectionsPerAddress: 1_000_000, maxAttemptsPerMinute: 1_000_000, maxRoomsInMemory: 10_000 }
});
server.listen(Number(process.env.PORT), '127.0.0.1');

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
