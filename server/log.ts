import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Written synchronously: the last lines before
 * `process.exit` (say, "stopped" after a SIGTERM flush) must not be lost.
 */
export function createLogger(level: string): Logger {
	return pino({ level, base: { service: 'refinery' } }, pino.destination({ dest: 1, sync: true }));
}
