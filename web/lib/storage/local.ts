/**
 * JSON in localStorage that never throws: storage can be full, disabled (private modes) or hold
 * something an older version wrote, and none of that may stop the app from starting.
 */
export function readLocal<T>(key: string, valid: (value: unknown) => value is T): T | null {
	try {
		const raw = globalThis.localStorage?.getItem(key);
		if (raw == null) return null;
		const value: unknown = JSON.parse(raw);
		return valid(value) ? value : null;
	} catch {
		return null;
	}
}

/** Store a value as JSON; returns false when storage refused it. */
export function writeLocal(key: string, value: unknown): boolean {
	try {
		globalThis.localStorage?.setItem(key, JSON.stringify(value));
		return true;
	} catch {
		return false;
	}
}
