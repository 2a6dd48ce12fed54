import { constants, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createLogger } from '../../../server/log';
import { encodeJournalRecord } from '../../../server/persistence/journalRecord';
import { SqliteStore } from '../../../server/persistence/SqliteStore';
import { attachRelay } from '../../../server/relay/Relay';
import { benchEndpoint } from './benchEndpoint';

/** Our relay with persistence on (journal and SQLite in DATA_DIR, as server/main.ts opens them), as the benchmark runs it. */
const store = SqliteStore.open(process.env.DATA_DIR!, {
	backgroundCheckpointMs: Number(process.env.BENCH_CHECKPOINT_MS ?? 100),
	// Diagnostic only: how often the journal moves into SQLite (the store's default otherwise).
	...(process.env.BENCH_JOURNAL_MOVE_MS ? { journalMoveMs: Number(process.env.BENCH_JOURNAL_MOVE_MS) } : {})
});
// Diagnostic only (BENCH_SKIP_APPEND=1): drop logged updates, to measure what persistence costs.
if (process.env.BENCH_SKIP_APPEND === '1') store.appendUpdate = () => {};
// Diagnostic only (BENCH_COUNT_TURNS=1): how many appends share one event-loop turn (what grouping them into one write could save).
if (process.env.BENCH_COUNT_TURNS === '1') {
	const append = store.appendUpdate.bind(store);
	let appends = 0;
	let turns = 0;
	let inTurn = false;
	store.appendUpdate = (id, update) => {
		appends++;
		if (!inTurn) {
			inTurn = true;
			turns++;
			setImmediate(() => (inTurn = false));
		}
		return append(id, update);
	};
	process.on('exit', () => console.error(`[bench] ours: ${appends} appends in ${turns} event-loop turns (${(appends / Math.max(1, turns)).toFixed(2)} per turn)`));
}
// Diagnostic only (BENCH_JOURNAL_EXPERIMENT=each|turn): appends go to a bare journal file of their
// own instead of the store (nothing reaches SQLite), written either once per update before it
// returns ("each", what the store does) or once per event-loop turn, every update of the turn
// waiting on a promise for that one write ("turn", grouped appends). Compares the two write patterns.
if (process.env.BENCH_JOURNAL_EXPERIMENT) {
	const fd = openSync(join(process.env.DATA_DIR!, 'experiment.journal'), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_TRUNC, 0o600);
	const seqs = new Map<string, number>();
	const frame = (id: string, update: Uint8Array) => {
		const seq = (seqs.get(id) ?? 0) + 1;
		seqs.set(id, seq);
		return encodeJournalRecord(id, seq, update);
	};
	if (process.env.BENCH_JOURNAL_EXPERIMENT === 'each') {
		store.appendUpdate = (id, update) => {
			writeSync(fd, frame(id, update));
		};
	} else {
		let frames: Buffer[] = [];
		let written: Promise<void> | null = null;
		store.appendUpdate = (id, update) => {
			frames.push(frame(id, update));
			written ??= new Promise<void>((resolve) =>
				setImmediate(() => {
					const all = frames.length === 1 ? frames[0] : Buffer.concat(frames);
					frames = [];
					written = null;
					writeSync(fd, all);
					resolve();
				})
			);
			return written;
		};
	}
}
const server = createServer((req, res) => benchEndpoint(req, res) || res.writeHead(404).end());
const relay = attachRelay(server, {
	store,
	logger: createLogger('warn'),
	limits: { maxConnectionsPerAddress: 1_000_000, maxAttemptsPerMinute: 1_000_000, maxRoomsInMemory: 10_000, maxRoomsPerAddressPerHour: 1_000_000, maxBytesPerAddressPerHour: 2 ** 40 }
});
server.listen(Number(process.env.PORT), '127.0.0.1');

// On SIGTERM, what server/main.ts does (close connections, flush every room, store the journal),
// then exit normally so --cpu-prof can write its profile.
process.on('SIGTERM', () => {
	void relay
		.close()
		.then(() => store.close())
		.finally(() => process.exit(0));
});
