import { parentPort } from 'node:worker_threads';
import { plainStateOf } from './plainStateOf';

/** The worker's side of PlainStateWorker: one job at a time, each a version's state in, its plain state out. */
parentPort!.on('message', ({ id, state, maxJsonBytes }: { id: number; state: Uint8Array; maxJsonBytes: number }) => {
	try {
		const plain = plainStateOf(state, maxJsonBytes);
		parentPort!.postMessage({ id, ok: true, plain });
	} catch (error) {
		parentPort!.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
	}
});
