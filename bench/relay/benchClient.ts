import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/relay/protocol';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** Sync step 1 with an empty state vector: "send me everything". */
export const SYNC_STEP1_EMPTY = Uint8Array.of(0, 0, EMPTY_STATE_VECTOR.length, ...EMPTY_STATE_VECTOR);
const SYNC_STEP2_EMPTY = Uint8Array.of(0, 1, EMPTY_UPDATE.length, ...EMPTY_UPDATE);

/** The (client, clock) of the first struct of a one-client update frame, or null for other frames. */
export function updateId(frame: Uint8Array): string | null {
	if (frame[0] !== 0 || (frame[1] !== 2 && frame[1] !== 1)) return null;
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	decoding.readVarUint(decoder);
	decoding.readVarUint(decoder); // payload length
	if (decoding.readVarUint(decoder) === 0) return null; // no structs
	decoding.readVarUint(decoder); // structs of this client
	const client = decoding.readVarUint(decoder);
	const clock = decoding.readVarUint(decoder);
	return `${client}:${clock}`;
}

/**
 * A light client speaking just enough y-websocket to be a reader (and, with `write`, a
 * writer): it keeps no document of what it receives, so the client process stays cheap and
 * the measurement is about the relay.
 */
export class BenchClient {
	readonly ws: WebSocket;
	readonly opened: Promise<void>;
	/** Resolves on the first sync step 2 (the relay's answer to our step 1). */
	readonly synced: Promise<number>;
	onUpdate: ((id: string) => void) | null = null;
	#doc: Y.Doc | null = null;
	#answeredStep1 = false;

	constructor(url: string, options: { handshake: boolean }) {
		this.ws = new WebSocket(url);
		this.ws.binaryType = 'nodebuffer';
		let resolveSynced!: (at: number) => void;
		this.synced = new Promise((resolve) => (resolveSynced = resolve));
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => {
				if (options.handshake) this.ws.send(SYNC_STEP1_EMPTY);
				resolve();
			});
			this.ws.once('error', reject);
		});
		this.ws.on('message', (data: Buffer) => {
			if (data[0] !== 0) return;
			if (data[1] === 0 && options.handshake && !this.#answeredStep1) {
				this.#answeredStep1 = true;
				this.ws.send(SYNC_STEP2_EMPTY);
			} else if (data[1] === 1) {
				resolveSynced(performance.now());
			} else if (data[1] === 2 && this.onUpdate) {
				const id = updateId(data);
				if (id) this.onUpdate(id);
			}
		});
	}

	/** Make one small edit and send it; returns its id. */
	write(): string {
		this.#doc ??= new Y.Doc();
		const text = this.#doc.getText('t');
		const clock = Y.getState(this.#doc.store, this.#doc.clientID);
		let update: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (update = u);
		this.#doc.once('update', capture);
		text.insert(text.length, 'x');
		this.ws.send(encodeUpdate(update!));
		return `${this.#doc.clientID}:${clock}`;
	}

	close(): void {
		this.ws.terminate();
	}
}
