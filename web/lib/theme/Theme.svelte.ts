import { createContext } from 'svelte';
import { MediaQuery } from 'svelte/reactivity';
import { readLocal, writeLocal } from '../storage/local';

const STORAGE_KEY = 'refinery:theme';

/** What the person chose: a theme, or none (follow the system). */
export type ThemeChoice = 'light' | 'dark' | 'system';

function isChoice(value: unknown): value is ThemeChoice {
	return value === 'light' || value === 'dark' || value === 'system';
}

/**
 * The color theme of this device: the system's until the person picks one, then theirs,
 * remembered in localStorage. Applied as `data-theme` on <html>, which theme.css turns into
 * `color-scheme`, so every token (`light-dark()`) follows.
 */
export class Theme {
	choice = $state<ThemeChoice>('system');
	readonly #systemDark = new MediaQuery('(prefers-color-scheme: dark)', false);

	constructor() {
		this.choice = readLocal(STORAGE_KEY, isChoice) ?? 'system';
		this.#apply();
	}

	/** The theme in effect now. */
	get dark(): boolean {
		return this.choice === 'system' ? this.#systemDark.current : this.choice === 'dark';
	}

	/** Switch to the other theme and remember it. */
	toggle(): void {
		this.set(this.dark ? 'light' : 'dark');
	}

	set(choice: ThemeChoice): void {
		this.choice = choice;
		writeLocal(STORAGE_KEY, choice);
		this.#apply();
	}

	#apply(): void {
		const root = globalThis.document?.documentElement;
		if (!root) return;
		if (this.choice === 'system') delete root.dataset.theme;
		else root.dataset.theme = this.choice;
	}
}

export const [getTheme, setTheme] = createContext<Theme>();
