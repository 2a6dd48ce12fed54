import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The real server (`node --import tsx server/main.ts`) as a child process. */
export interface ServerProcess {
	child: ChildProcess;
	port: number;
	syncUrl: string;
	httpUrl: string;
	/** Every stdout line (JSON logs). */
	lines: string[];
	/** Resolves with the exit code (or signal) once the process has ended and its output is all read. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * Start the server and wait until /healthz answers. The port is picked here (or passed, to
 * come back on the same port after a restart) rather than PORT=0, so it works at any log level.
 */
export async function startServerProcess(options: {
	dataDir: string;
	port?: number;
	env?: Record<string, string>;
	/** How long to wait for /healthz (default 20 s): longer for a start that replays a large journal. */
	startTimeoutMs?: number;
}): Promise<ServerProcess> {
	const port = options.port ?? (await freePort());
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: options.dataDir,
			LOG_LEVEL: 'info',
			IDLE_UNLOAD_MS: '60000',
			MAX_ATTEMPTS_PER_MINUTE: '100000',
			MAX_CONNECTIONS_PER_ADDRESS: '10000',
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('close', (code, signal) => resolve({ code, signal }))
	);
	let stderr = '';
	child.stderr!.on('data', (chunk) => (stderr += chunk));
	let buffered = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		const parts = buffered.split('\n');
		buffered = parts.pop()!;
		lines.push(...parts);
	});
	const httpUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not start: ${stderr}`);
		}
		try {
			if ((await fetch(`${httpUrl}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return { child, port, lines, exited, syncUrl: `ws://127.0.0.1:${port}/sync`, httpUrl };
}

/**
 * `count` relay processes on their own ports sharing rooms through one Redis (REDIS_URL), each
 * with its own (unused) data directory. Fast heartbeats, so a killed relay is noticed quickly.
 */
export async function startRelayProcesses(count: number, options: { redisUrl: string; dataDir: string; env?: Record<string, string> }): Promise<ServerProcess[]> {
	return Promise.all(
		Array.from({ length: count }, () =>
			startServerProcess({ dataDir: options.dataDir, env: { REDIS_URL: options.redisUrl, RELAY_HEARTBEAT_MS: '250', ...options.env } })
		)
	);
}
