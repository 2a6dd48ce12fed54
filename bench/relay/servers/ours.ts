import { createServer } from 'node:http';
import { createLogger } from '../../../server/log';
import { SqliteStore } from '../../../server/persistence/SqliteStore';
import { attachRelay } from '../../../server/relay/Relay';
import { benchEndpoint } from './benchEndpoint';

/** Our relay with persistence on (journal and SQLite in DATA_DIR, as server/main.ts opens them), as the benchmark runs it. */
const store = SqliteStore.open(process.env.DATA_DIR!, {
	backgroundCheckpointMs: 100,
	// Diagnostic only: how often the journal moves into SQLite (the store's default otherwise).
	...(process.env.BENCH_JOURNAL_MOVE_MS ? { journalMoveMs: Number(process.env.BENCH_JOURNAL_MOVE_MS) } : {})
});
// Diagnostic only (BENCH_SKIP_APPEND=1): drop logged updates, to measure what persistence costs.
if (process.env.BENCH_SKIP_APPEND === '1') store.appendUpdate = () => {};
const server = createServer((req, res) => benchEndpoint(req, res) || res.writeHead(404).end());
attachRelay(server, {
	store,
	logger: createLogger('warn'),
	limits: { maxConnectionsPerAddress: 1_000_000, maxAttemptsPerMinute: 1_000_000, maxRoomsInMemory: 10_000 }
});
server.listen(Number(process.env.PORT), '127.0.0.1');

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
