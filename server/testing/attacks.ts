import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeUpdate, MessageType } from '../relay/protocol';

/**
 * Hand-encoded Yjs v1 updates shaped as an attacker would shape them, and probes that measure
 * what other rooms see meanwhile. The updates are valid: a stock client integrates them.
 */

/** Write one client's run of structs: count, client, first clock. */
function writeRun(encoder: encoding.Encoder, count: number, client: number, clock: number): void {
	encoding.writeVarUint(encoder, count);
	encoding.writeVarUint(encoder, client);
	encoding.writeVarUint(encoder, clock);
}

/**
 * The CPU bomb (issue 12): a chain of `n` one-element items in array `a`, written alternately by
 * clients 1 and 2 (each origin the one before), then `n` one-struct items from `n` fresh client
 * ids whose right origin is the chain's end, in updates of `perUpdate` fresh clients each.
 * `Y.applyUpdate` of the pair is superlinear (2.3 s for n = 4,000); the bytes are about 18 n.
 */
export function cpuBomb(n: number, perUpdate = n): { chain: Uint8Array; bombs: Uint8Array[] } {
	const chain = encoding.createEncoder();
	encoding.writeVarUint(chain, 2);
	// Client 2 first (Yjs writes clients in decreasing order): its k-th item follows client 1's k-th.
	for (const client of [2, 1]) {
		const count = client === 1 ? Math.ceil(n / 2) : Math.floor(n / 2);
		writeRun(chain, count, client, 0);
		for (let clock = 0; clock < count; clock++) {
			const index = 2 * clock + (client === 2 ? 1 : 0);
			if (index === 0) {
				encoding.writeUint8(chain, 8); // ContentAny, parent follows
				encoding.writeVarUint(chain, 1);
				encoding.writeVarString(chain, 'a');
			} else {
				encoding.writeUint8(chain, 0x88); // origin + ContentAny
				const previous = index - 1;
				encoding.writeVarUint(chain, previous % 2 === 0 ? 1 : 2);
				encoding.writeVarUint(chain, Math.floor(previous / 2));
			}
			encoding.writeVarUint(chain, 1);
			encoding.writeUint8(chain, 125); // varint
			encoding.writeVarInt(chain, index);
		}
	}
	encoding.writeVarUint(chain, 0);
	const last = n - 1;
	const end = { client: last % 2 === 0 ? 1 : 2, clock: Math.floor(last / 2) };
	const bombs: Uint8Array[] = [];
	for (let from = 0; from < n; from += perUpdate) {
		const count = Math.min(perUpdate, n - from);
		const bomb = encoding.createEncoder();
		encoding.writeVarUint(bomb, count);
		for (let i = from + count - 1; i >= from; i--) {
			writeRun(bomb, 1, 1_000_000 + i, 0);
			encoding.writeUint8(bomb, 0x48); // right origin + ContentAny
			encoding.writeVarUint(bomb, end.client);
			encoding.writeVarUint(bomb, end.clock);
			encoding.writeVarUint(bomb, 1);
			encoding.writeUint8(bomb, 125);
			encoding.writeVarInt(bomb, i);
		}
		encoding.writeVarUint(bomb, 0);
		bombs.push(encoding.toUint8Array(bomb));
	}
	return { chain: encoding.toUint8Array(chain), bombs };
}

/**
 * About `bytes` of map entries from one client, none mergeable with another (each its own key):
 * about 20 bytes on the wire each, hundreds of bytes each once integrated into a Y.Doc.
 */
export function unmergeableItems(bytes: number, client: number): Uint8Array {
	const count = Math.floor(bytes / 20);
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	writeRun(encoder, count, client, 0);
	for (let i = 0; i < count; i++) {
		encoding.writeUint8(encoder, 0x28); // parentSub + ContentAny, parent follows
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarString(encoder, 'm');
		encoding.writeVarString(encoder, `k${(1e10 + i).toString(36)}`);
		encoding.writeVarUint(encoder, 1);
		encoding.writeUint8(encoder, 126); // null
	}
	encoding.writeVarUint(encoder, 0);
	return encoding.toUint8Array(encoder);
}

/** A raw socket in a room that times how long the relay takes to echo an update it sends. */
export class EchoProbe {
	readonly socket: WebSocket;
	readonly #doc = new Y.Doc();
	readonly #waiting = new Map<string, () => void>();
	readonly opened: Promise<void>;

	constructor(url: string) {
		this.socket = new WebSocket(url);
		this.socket.on('message', (data: Buffer) => {
			const key = Buffer.from(data).toString('base64');
			this.#waiting.get(key)?.();
		});
		this.socket.on('error', () => {});
		this.opened = new Promise((resolve, reject) => {
			this.socket.once('open', () => resolve());
			this.socket.once('close', (code) => reject(new Error(`probe closed with ${code}`)));
		});
	}

	/** Send one edit; resolves with the milliseconds until the relay sends it back. */
	async echo(timeoutMs = 10_000): Promise<number> {
		let update: Uint8Array | null = null;
		this.#doc.once('update', (u: Uint8Array) => (update = u));
		this.#doc.getText('t').insert(0, 'x');
		const frame = encodeUpdate(update!);
		const key = Buffer.from(frame).toString('base64');
		const started = performance.now();
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no echo')), timeoutMs);
			this.#waiting.set(key, () => {
				clearTimeout(timer);
				this.#waiting.delete(key);
				resolve();
			});
			this.socket.send(frame);
		});
		return performance.now() - started;
	}

	close(): void {
		this.socket.terminate();
	}
}

/** Latencies measured while `during` runs: echoes in other rooms and /healthz, one after another. */
export async function measureWhile<T>(probes: EchoProbe[], healthUrl: string, during: () => Promise<T>): Promise<{ result: T; echoes: number[]; health: number[] }> {
	const echoes: number[] = [];
	const health: number[] = [];
	let running = true;
	const echoLoop = async (probe: EchoProbe) => {
		while (running) {
			echoes.push(await probe.echo());
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	};
	const healthLoop = async () => {
		while (running) {
			const started = performance.now();
			const response = await fetch(healthUrl);
			await response.arrayBuffer();
			health.push(performance.now() - started);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	};
	const loops = [...probes.map(echoLoop), healthLoop()];
	try {
		const result = await during();
		return { result, echoes, health };
	} finally {
		running = false;
		await Promise.all(loops);
	}
}

/** The p-th percentile (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** An update of `bytes` of string content from `client`, starting at clock 1,000,000: clocks 0–999,999 never arrive. */
export function neverResolving(client: number, bytes: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	writeRun(encoder, 1, client, 1_000_000);
	encoding.writeUint8(encoder, 4); // string, parent follows
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarString(encoder, 't');
	encoding.writeVarString(encoder, 'x'.repeat(bytes));
	encoding.writeVarUint(encoder, 0);
	return encoding.toUint8Array(encoder);
}

/** An awareness frame with the given states (JSON text as given). */
export function awarenessFrame(...entries: [client: number, clock: number, json: string][]): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, entries.length);
	for (const [id, clock, json] of entries) {
		encoding.writeVarUint(update, id);
		encoding.writeVarUint(update, clock);
		encoding.writeVarString(update, json);
	}
	const frame = encoding.createEncoder();
	encoding.writeVarUint(frame, MessageType.awareness);
	encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
	return encoding.toUint8Array(frame);
}
