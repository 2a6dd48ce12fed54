import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType, SyncType } from '../relay/protocol';

/** mulberry32: small, seedable, good enough to make fuzz runs reproducible. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

export type FrameKind =
	| 'random'
	| 'truncated'
	| 'overlongVarint'
	| 'wrongType'
	| 'hugeLength'
	| 'corruptUpdate'
	| 'badAwarenessJson'
	| 'mutatedAwareness'
	| 'validUpdate'
	| 'validAwareness'
	| 'syncStep1';

const KINDS: FrameKind[] = [
	'random',
	'truncated',
	'overlongVarint',
	'wrongType',
	'hugeLength',
	'corruptUpdate',
	'corruptUpdate',
	'badAwarenessJson',
	'mutatedAwareness',
	'validUpdate',
	'validAwareness',
	'syncStep1'
];

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

function syncFrame(type: number, payload: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, MessageType.sync);
		encoding.writeVarUint(e, type);
		encoding.writeVarUint8Array(e, payload);
	});
}

/**
 * Seeded generator of hostile and valid y-websocket frames. Valid updates come from a private
 * Y.Doc, so accepted ones change the relay's document like a real (if odd) client would.
 */
export class FuzzFrames {
	readonly #random: () => number;
	readonly #doc = new Y.Doc();
	readonly #awareness = new awarenessProtocol.Awareness(this.#doc);
	#lastUpdate: Uint8Array = new Uint8Array(0);

	constructor(seed: number) {
		this.#random = prng(seed);
		this.#doc.on('update', (update: Uint8Array) => (this.#lastUpdate = update));
	}

	destroy(): void {
		this.#awareness.destroy();
		this.#doc.destroy();
	}

	#int(max: number): number {
		return Math.floor(this.#random() * max);
	}

	#bytes(length: number): Uint8Array {
		const out = new Uint8Array(length);
		for (let i = 0; i < length; i++) out[i] = this.#int(256);
		return out;
	}

	#freshUpdate(): Uint8Array {
		const text = this.#doc.getText(this.#int(3) === 0 ? 'other' : 't');
		if (text.length > 0 && this.#int(4) === 0) text.delete(this.#int(text.length), 1);
		else text.insert(this.#int(text.length + 1), String.fromCharCode(97 + this.#int(26)).repeat(1 + this.#int(8)));
		if (this.#int(5) === 0) this.#doc.getMap('m').set(`k${this.#int(20)}`, this.#int(1000));
		return this.#lastUpdate;
	}

	#mutate(bytes: Uint8Array): Uint8Array {
		const copy = Array.from(bytes);
		const edits = 1 + this.#int(4);
		for (let i = 0; i < edits; i++) {
			const at = this.#int(copy.length + 1);
			switch (this.#int(4)) {
				case 0:
					if (copy.length) copy[at % copy.length] ^= 1 << this.#int(8);
					break;
				case 1:
					copy.splice(at, 0, this.#int(256));
					break;
				case 2:
					copy.splice(at, 1 + this.#int(3));
					break;
				default:
					copy.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
			}
		}
		return Uint8Array.from(copy);
	}

	/** The next frame and its kind. */
	next(): { kind: FrameKind; frame: Uint8Array } {
		const kind = KINDS[this.#int(KINDS.length)];
		return { kind, frame: this.#make(kind) };
	}

	#make(kind: FrameKind): Uint8Array {
		switch (kind) {
			case 'random':
				return this.#bytes(this.#int(64));
			case 'truncated': {
				const whole = syncFrame(SyncType.update, this.#freshUpdate());
				return whole.subarray(0, this.#int(whole.length));
			}
			case 'overlongVarint':
				return frame((e) => {
					encoding.writeVarUint(e, this.#int(2));
					for (let i = 0; i < 9 + this.#int(20); i++) encoding.writeUint8(e, 0x80 | this.#int(128));
					encoding.writeUint8(e, 1 + this.#int(127));
				});
			case 'wrongType':
				return frame((e) => {
					encoding.writeVarUint(e, this.#int(2) ? 4 + this.#int(1000) : 0);
					if (this.#int(2)) encoding.writeVarUint(e, 3 + this.#int(100));
					encoding.writeUint8Array(e, this.#bytes(this.#int(16)));
				});
			case 'hugeLength':
				return frame((e) => {
					encoding.writeVarUint(e, this.#int(2));
					if (this.#int(2)) encoding.writeVarUint(e, SyncType.update);
					encoding.writeVarUint(e, [2 ** 31, 2 ** 32 + 7, 2 ** 50, Number.MAX_SAFE_INTEGER][this.#int(4)]);
					encoding.writeUint8Array(e, this.#bytes(this.#int(32)));
				});
			case 'corruptUpdate': {
				const update = this.#int(3) === 0 ? this.#bytes(4 + this.#int(40)) : this.#mutate(this.#freshUpdate());
				return syncFrame(this.#int(2) ? SyncType.update : SyncType.step2, update);
			}
			case 'badAwarenessJson':
				return frame((e) => {
					encoding.writeVarUint(e, MessageType.awareness);
					encoding.writeVarUint8Array(
						e,
						frame((a) => {
							encoding.writeVarUint(a, 1);
							encoding.writeVarUint(a, this.#int(2 ** 30));
							encoding.writeVarUint(a, this.#int(100));
							encoding.writeVarString(a, ['{not json', '{"a":', '\u0000', 'undefined', '{"x":1}}'][this.#int(5)]);
						})
					);
				});
			case 'mutatedAwareness': {
				this.#awareness.setLocalStateField('cursor', this.#int(1000));
				const valid = frame((e) => {
					encoding.writeVarUint(e, MessageType.awareness);
					encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [this.#doc.clientID]));
				});
				return this.#mutate(valid);
			}
			case 'validUpdate':
				return syncFrame(SyncType.update, this.#freshUpdate());
			case 'validAwareness':
				this.#awareness.setLocalStateField('name', `fuzz ${this.#int(100)}`);
				return frame((e) => {
					encoding.writeVarUint(e, MessageType.awareness);
					encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [this.#doc.clientID]));
				});
			case 'syncStep1':
				return syncFrame(SyncType.step1, this.#int(2) ? Y.encodeStateVector(this.#doc) : this.#mutate(Y.encodeStateVector(this.#doc)));
		}
	}
}
