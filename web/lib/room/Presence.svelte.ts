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
	/** True when this person opened a view-only link (as they announce it: shown, never trusted). */
	viewer: boolean;
	editing: Editing | null;
	/** The item this person has open (the detail pane), or null. */
	viewing: string | null;
}

const MAX_NAME = 40;

function readPeer(clientId: number, state: Record<string, unknown>, self: boolean): Peer | null {
	const user = state.user as (Partial<PersonInfo> & { access?: unknown }) | undefined;
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
		viewer: user.access === 'view',
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
	/** Who was followed until this person's own click ended it, to say so (null otherwise). */
	stoppedFollowing = $state<{ id: string; name: string } | null>(null);
	readonly #viewer: boolean;

	/** @param viewer true for a view-only session: it never claims to edit a field. */
	constructor(awareness: Awareness, { viewer = false }: { viewer?: boolean } = {}) {
		this.#awareness = awareness;
		this.#viewer = viewer;
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	/** Announce who this device's person is (and whether they only view), again after a name change. */
	setSelf(person: PersonInfo): void {
		this.#awareness.setLocalStateField('user', { id: person.id, name: person.name, color: person.color, access: this.#viewer ? 'view' : 'edit' });
	}

	/**
	 * Say what this person is editing now (null when nothing). A viewer edits nothing: focus in a
	 * read-only field is reading, and must not show as typing to the others.
	 */
	setEditing(editing: Editing | null): void {
		this.#awareness.setLocalStateField('editing', this.#viewer ? null : editing);
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

	/** The name of whoever announced this awareness client id (a document client id), if here. */
	nameOf(clientId: number): string | null {
		this.#subscribe();
		const state = this.#awareness.getStates().get(clientId);
		return state ? (readPeer(clientId, state, false)?.name ?? null) : null;
	}

	/** This device's own awareness (and document) client id. */
	get clientId(): number {
		return this.#awareness.clientID;
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
		this.stoppedFollowing = null;
	}

	/**
	 * Stop following. `byOwnAction` (this person opened an item themselves) keeps who it was, so
	 * the follow banner can say why the view stopped moving and offer to follow again.
	 */
	stopFollowing({ byOwnAction = false } = {}): void {
		const followed = this.followed;
		this.#following = null;
		this.stoppedFollowing = byOwnAction && followed ? { id: followed.id, name: followed.name } : null;
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
