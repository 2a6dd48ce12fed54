import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';

/** What a person is editing: an item and one of its fields. */
export interface Editing {
	itemId: string;
	field: string;
}

/** A person as this device presents itself to the others. */
export interface PersonInfo {
	id: string;
	name: string;
	color: string;
}

/** Someone in the room, as read from awareness (untrusted: any peer can send anything). */
export interface Peer extends PersonInfo {
	clientId: number;
	self: boolean;
	editing: Editing | null;
	/** The item this person has open (the detail pane), or null. */
	viewing: string | null;
}

const MAX_NAME = 40;

function readPeer(clientId: number, state: Record<string, unknown>, self: boolean): Peer | null {
	const user = state.user as Partial<PersonInfo> | undefined;
	if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') return null;
	// Colors go into a style attribute: accept only #rrggbb.
	const color = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#344054';
	const editing = state.editing as Partial<Editing> | null | undefined;
	return {
		clientId,
		self,
		id: user.id,
		name: user.name.slice(0, MAX_NAME),
		color,
		editing: editing && typeof editing.itemId === 'string' && typeof editing.field === 'string' ? { itemId: editing.itemId, field: editing.field } : null,
		viewing: typeof state.viewing === 'string' ? state.viewing : null
	};
}

/**
 * Who is here, read from Yjs awareness (name, color, what they are editing). The same person
 * in two tabs shows once; this device's own entry comes first.
 */
export class Presence {
	readonly #awareness: Awareness;
	readonly #subscribe: () => void;
	/** The person (id) this device follows: local UI state, so `$state`. */
	#following = $state<string | null>(null);

	constructor(awareness: Awareness) {
		this.#awareness = awareness;
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	/** Announce who this device's person is. */
	setSelf(person: PersonInfo): void {
		this.#awareness.setLocalStateField('user', person);
	}

	/** Say what this person is editing now (null when nothing). */
	setEditing(editing: Editing | null): void {
		this.#awareness.setLocalStateField('editing', editing);
	}

	/** Say which item this person has open (null when none), so others see it and can follow. */
	setViewing(itemId: string | null): void {
		this.#awareness.setLocalStateField('viewing', itemId);
	}

	/** Everyone present, this device's person first, each person once. */
	get peers(): Peer[] {
		this.#subscribe();
		const self = this.#awareness.clientID;
		const byPerson = new Map<string, Peer>();
		for (const [clientId, state] of this.#awareness.getStates()) {
			const peer = readPeer(clientId, state, clientId === self);
			if (peer && (!byPerson.has(peer.id) || peer.self)) byPerson.set(peer.id, peer);
		}
		return [...byPerson.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
	}

	/** The others editing a given item's field right now. */
	editing(itemId: string, field: string): Peer[] {
		return this.peers.filter((peer) => !peer.self && peer.editing?.itemId === itemId && peer.editing.field === field);
	}

	/** The others looking at (item open) or typing in an item, each person once. */
	onItem(itemId: string): Peer[] {
		return this.peers.filter((peer) => !peer.self && (peer.editing?.itemId === itemId || peer.viewing === itemId));
	}

	/** Follow a person: `followedItemId` then tracks what they open or type in. */
	follow(personId: string): void {
		this.#following = personId;
	}

	stopFollowing(): void {
		this.#following = null;
	}

	/** The person followed, while they are still here (null otherwise). */
	get followed(): Peer | null {
		const id = this.#following;
		if (id === null) return null;
		return this.peers.find((peer) => peer.id === id && !peer.self) ?? null;
	}

	/**
	 * The item the followed person is on: the field they type in, else the item they have open.
	 * The list scrolls to it and the detail pane opens it.
	 */
	get followedItemId(): string | null {
		const peer = this.followed;
		return peer?.editing?.itemId ?? peer?.viewing ?? null;
	}
}
