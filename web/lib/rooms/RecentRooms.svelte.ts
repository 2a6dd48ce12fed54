import { createContext } from 'svelte';
import { readLocal, writeLocal } from '../storage/local';
import type { Access } from './keys';
import { parseRoomLink, roomPath, type RoomLink } from './links';

const STORAGE_KEY = 'refinery:recentRooms';
const MAX_RECENT = 20;

/** A room opened on this device. Its key is kept too: the link is what opens it again. */
export interface RecentRoom {
	roomId: string;
	name: string;
	access: Access;
	path: string;
	openedAt: number;
}

function isRecentList(value: unknown): value is RecentRoom[] {
	return Array.isArray(value) && value.every((entry) => typeof entry?.path === 'string' && parseRoomLink(entry.path) !== null);
}

/** The rooms kept in localStorage, newest first. */
function storedRooms(): RecentRoom[] {
	return readLocal(STORAGE_KEY, isRecentList) ?? [];
}

/** True when this device has opened the room before (it may hold a copy of it). */
export function openedHere(roomId: string): boolean {
	return storedRooms().some((entry) => entry.roomId === roomId);
}

/** The rooms recently opened on this device, newest first, kept in localStorage. */
export class RecentRooms {
	list = $state<RecentRoom[]>([]);

	constructor() {
		this.list = storedRooms();
	}

	/**
	 * Remember a room (or refresh its name). An edit link is never replaced by a view link for
	 * the same room: someone who can edit keeps that.
	 */
	remember(link: RoomLink, name: string, now = Date.now()): void {
		const previous = this.list.find((entry) => entry.roomId === link.roomId);
		const keep = previous?.access === 'edit' && link.access === 'view' ? previous : null;
		const entry: RecentRoom = {
			roomId: link.roomId,
			name: name || previous?.name || '',
			access: keep?.access ?? link.access,
			path: keep?.path ?? roomPath(link),
			openedAt: now
		};
		this.list = [entry, ...this.list.filter((other) => other.roomId !== link.roomId)].slice(0, MAX_RECENT);
		writeLocal(STORAGE_KEY, this.list);
	}

	/** Update a remembered room's name without moving it up the list. */
	rename(roomId: string, name: string): void {
		const index = this.list.findIndex((entry) => entry.roomId === roomId);
		if (index === -1 || !name || this.list[index].name === name) return;
		this.list[index] = { ...this.list[index], name };
		writeLocal(STORAGE_KEY, this.list);
	}

	forget(roomId: string): void {
		this.list = this.list.filter((entry) => entry.roomId !== roomId);
		writeLocal(STORAGE_KEY, this.list);
	}
}

/** The device's recent rooms, set once by the root layout. */
export const [getRecentRooms, setRecentRooms] = createContext<RecentRooms>();
