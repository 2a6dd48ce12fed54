import type { IncomingMessage, ServerResponse } from 'node:http';

/** `/bench/mem`: memory after a full GC (servers run with --expose-gc), the same for every server. */
export function benchEndpoint(req: IncomingMessage, res: ServerResponse): boolean {
	if (req.url !== '/bench/mem') return false;
	(globalThis as { gc?: () => void }).gc?.();
	res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(process.memoryUsage()));
	return true;
}
