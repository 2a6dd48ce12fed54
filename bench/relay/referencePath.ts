import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import { setupWSConnection } from '@y/websocket-server/utils';
import { encodeUpdate } from '../../server/relay/protocol';

/** Diagnostic twin of roomPath.ts: the reference relay's per-update work in-process (@y/websocket-server 0.1.1), sockets replaced by no-ops. Run: `node --import tsx bench/relay/referencePath.ts`. */
class FakeSocket extends EventEmitter {
	readyState = 1;
	binaryType = 'arraybuffer';
	send(_m: Uint8Array, _o: unknown, cb?: (e?: Error) => void) { sends++; cb?.(); }
	ping() {}
	close() {}
}
let sends = 0;
const writers: { doc: Y.Doc; ws: FakeSocket }[] = [];
for (let r = 0; r < 50; r++) {
	for (let p = 0; p < 10; p++) {
		const ws = new FakeSocket();
		setupWSConnection(ws as never, {} as never, { docName: `room${r}`, gc: true });
		if (p < 2) writers.push({ doc: new Y.Doc(), ws });
	}
}
const frames: { w: (typeof writers)[0]; f: Buffer }[] = [];
for (let i = 0; i < 40000; i++) {
	const w = writers[i % writers.length];
	let u: Uint8Array | null = null;
	w.doc.once('update', (x: Uint8Array) => (u = x));
	const t = w.doc.getText('t');
	t.insert(t.length, 'x');
	frames.push({ w, f: Buffer.from(encodeUpdate(u!)) });
}
let i = 0;
const cpu0 = process.cpuUsage();
let busy = 0;
await new Promise<void>((resolve) => {
	const step = () => {
		const s = performance.now();
		for (let k = 0; k < 100 && i < frames.length; k++, i++) frames[i].w.ws.emit('message', frames[i].f);
		busy += performance.now() - s;
		if (i < frames.length) setImmediate(step);
		else resolve();
	};
	step();
});
const cpu = process.cpuUsage(cpu0);
console.log(`reference: main-loop ${((busy * 1000) / frames.length).toFixed(2)} µs/update, process CPU ${((cpu.user + cpu.system) / frames.length).toFixed(2)} µs/update, sends ${sends}`);
process.exit(0);
