import { afterFirstPaint } from './afterFirstPaint';
import type { FirstPaint } from './FirstPaint';

/**
 * A component loaded (its own chunk) once the room's first screen is painted: `current` is
 * null until then. For parts of the list that only a click or a selection shows (the row menu,
 * the bulk toolbar), so the menu library they need is not compiled before the first rows.
 * @example const rowMenu = new Later(ui.firstPaint, () => import('./RowMenu.svelte')) … {#if rowMenu.current}<rowMenu.current … />{/if}
 */
export class Later<T> {
	current = $state.raw<T | null>(null);

	constructor(firstPaint: FirstPaint, load: () => Promise<{ default: T }>) {
		void afterFirstPaint(firstPaint, load).then((module) => (this.current = module.default));
	}
}
