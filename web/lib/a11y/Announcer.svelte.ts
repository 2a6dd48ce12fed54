import { createContext } from 'svelte';

/**
 * What screen readers should hear after an action that changes no focus (an item moved, deleted,
 * undone). `LiveRegion.svelte` renders `message` in an aria-live region.
 */
export class Announcer {
	message = $state('');
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** Say a sentence; the same sentence twice in a row is still spoken twice. */
	announce(sentence: string): void {
		clearTimeout(this.#timer);
		this.message = '';
		// A new text node after a short pause is what makes screen readers repeat a message.
		this.#timer = setTimeout(() => (this.message = sentence), 50);
	}
}

export const [getAnnouncer, setAnnouncer] = createContext<Announcer>();
