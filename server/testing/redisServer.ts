import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serverProcess';

/** A real `redis-server` (Debian's package) on a loopback port, its files in a temporary directory. */
export interface RedisServer {
	port: number;
	url: string;
	dir: string;
	child: ChildProcess;
	/** Stop it: SIGTERM saves and exits cleanly (the AOF is fsynced); SIGKILL loses what was not yet fsynced. */
	stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
	/** Start it again on the same port and directory (after `stop`), so its persisted data comes back. */
	restart(): Promise<void>;
	/** Stop it and remove its directory. */
	destroy(): Promise<void>;
}

export interface RedisServerOptions {
	/** appendonly yes with this fsync policy; 'always' by default so a test never depends on timing. */
	appendfsync?: 'always' | 'everysec' | 'no';
	port?: number;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** Resolve once something accepts TCP connections on the port and answers PING. */
async function waitForPing(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr()}`);
		if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}: ${stderr()}`);
		const answered = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('error', () => resolve(false));
			socket.once('connect', () => socket.write('PING\r\n'));
			socket.once('data', (data) => {
				socket.destroy();
				resolve(data.toString().startsWith('+PONG'));
			});
		});
		if (answered) return;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** Start `redis-server` with append-only persistence in a fresh temporary directory. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
	const port = options.port ?? (await freePort());
	const dir = mkdtempSync(join(tmpdir(), 'refinery-redis-'));
	const args = [
		'--port', String(port),
		'--bind', '127.0.0.1',
		'--dir', dir,
		'--appendonly', 'yes',
		'--appendfsync', options.appendfsync ?? 'always',
		'--save', '',
		'--daemonize', 'no',
		'--loglevel', 'warning'
	];
	let child!: ChildProcess;
	let stderr = '';
	const launch = async () => {
		stderr = '';
		child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.on('data', (chunk) => (stderr += chunk));
		child.stderr!.on('data', (chunk) => (stderr += chunk));
		child.once('error', (error) => (stderr += String(error)));
		await waitForPing(port, child, () => stderr);
		server.child = child;
	};
	const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
	};
	const server: RedisServer = {
		port,
		url: `redis://127.0.0.1:${port}`,
		dir,
		child,
		stop,
		restart: launch,
		async destroy() {
			await stop('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		}
	};
	await launch();
	return server;
}
