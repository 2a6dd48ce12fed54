import * as Y from 'yjs';
import { localOrigin, remoteOrigin, type LocalOrigin } from '../origins';

/**
 * Several peers of one room in one process, for convergence tests. Every local
 * change is queued for every other peer; a test delivers queued updates in any
 * order it likes, and an offline peer just lets its inbox pile up.
 */
export interface Peer {
	index: number;
	doc: Y.Doc;
	origin: LocalOrigin;
	inbox: Uint8Array[];
	online: boolean;
}

export class PeerGroup {
	readonly peers: Peer[];

	constructor(count: number, initial?: Uint8Array) {
		this.peers = Array.from({ length: count }, (_, index) => {
			const doc = new Y.Doc();
			// Fixed client ids make a failing seed replay exactly the same way.
			doc.clientID = index + 1;
			if (initial) Y.applyUpdate(doc, initial, remoteOrigin);
			return { index, doc, origin: localOrigin(`user-${index}`), inbox: [], online: true };
		});
		for (const peer of this.peers) {
			peer.doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === remoteOrigin) return;
				for (const other of this.peers) if (other !== peer) other.inbox.push(update);
			});
		}
	}

	/** Deliver one queued update (chosen by `pick`) to a peer, if it is online. */
	deliver(peer: Peer, pick: number): void {
		if (!peer.online || peer.inbox.length === 0) return;
		const [update] = peer.inbox.splice(pick % peer.inbox.length, 1);
		Y.applyUpdate(peer.doc, update, remoteOrigin);
	}

	/** Bring everyone online and deliver everything still queued, in an order set by `seed`. */
	settle(seed: number): void {
		let state = seed >>> 0 || 1;
		const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
		for (const peer of this.peers) peer.online = true;
		while (this.peers.some((p) => p.inbox.length)) {
			for (const peer of this.peers) if (peer.inbox.length) this.deliver(peer, next());
		}
		// Then what every reconnect does (y-protocols sync step 1 and 2): exchange state
		// vectors. Yjs 13.6 can keep an update pending for good when updates arrive far
		// out of causal order (see shared/poker/convergence.test.ts); this repairs it.
		for (const a of this.peers) {
			for (const b of this.peers) {
				if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), remoteOrigin);
			}
		}
	}
}
