import { createContext } from 'svelte';
import { newId } from '$shared/ids';
import { readLocal, writeLocal } from '../storage/local';
import { randomPersonColor } from './colors';

const STORAGE_KEY = 'refinery:identity';
export const MAX_DISPLAY_NAME_LENGTH = 40;

interface StoredIdentity {
	id: string;
	name: string;
	color: string;
}

function isStoredIdentity(value: unknown): value is StoredIdentity {
	const v = value as StoredIdentity;
	return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.color === 'string';
}

/**
 * Who uses this device: a stable id (what undo and `createdBy` use), a display name and a
 * color, kept in localStorage. The id and color are made on first use; the name is asked for.
 */
export class Identity {
	readonly id: string;
	name = $state('');
	color = $state('');

	constructor() {
		const stored = readLocal(STORAGE_KEY, isStoredIdentity);
		this.id = stored?.id ?? newId();
		this.name = stored?.name ?? '';
		this.color = stored?.color ?? randomPersonColor();
	}

	/** True once the person has told us their name. */
	get known(): boolean {
		return this.name !== '';
	}

	/** Set the display name (trimmed, single spaces) and keep it on the device. */
	setName(name: string): void {
		this.name = cleanDisplayName(name);
		writeLocal(STORAGE_KEY, { id: this.id, name: this.name, color: this.color } satisfies StoredIdentity);
	}
}

/** True when this device has a name kept (before any component reads the identity). */
export function hasStoredName(): boolean {
	return (readLocal(STORAGE_KEY, isStoredIdentity)?.name ?? '') !== '';
}

/** Trim and collapse spaces; callers check for empty and too long. */
export function cleanDisplayName(name: string): string {
	return name.replace(/\s+/g, ' ').trim();
}

/** The device's identity, set once by the root layout. */
export const [getIdentity, setIdentity] = createContext<Identity>();
