import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * `relay.lock` in a data directory: which process serves it. SQLite gives no cheap way to ask
 * whether another process has a WAL database open, so the relay says so itself, and tools that
 * must not run beside it (restore-backup) check. A lock left by a killed relay on this machine
 * is recognised by its dead process id; one from another machine or container cannot be checked.
 */
export interface RelayLockInfo {
	pid: number;
	host: string;
	startedAt: string;
}

export function relayLockPath(dataDir: string): string {
	return join(dataDir, 'relay.lock');
}

/** Write the lock; returns a function that removes it (on a clean shutdown). */
export function takeRelayLock(dataDir: string): () => void {
	const path = relayLockPath(dataDir);
	const info: RelayLockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
	writeFileSync(path, JSON.stringify(info) + '\n', { mode: 0o600 });
	return () => rmSync(path, { force: true });
}

/** Who holds the data directory: the lock's facts, whether that process is alive here, or null. */
export function relayHolding(dataDir: string): (RelayLockInfo & { alive: boolean | 'unknown' }) | null {
	let info: RelayLockInfo;
	try {
		info = JSON.parse(readFileSync(relayLockPath(dataDir), 'utf8')) as RelayLockInfo;
	} catch {
		return null;
	}
	if (info.host !== hostname()) return { ...info, alive: 'unknown' };
	try {
		process.kill(info.pid, 0);
		return { ...info, alive: true };
	} catch (error) {
		// EPERM: it exists, under another user.
		return { ...info, alive: (error as NodeJS.ErrnoException).code === 'EPERM' };
	}
}
