import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import type { LocalOrigin } from '$shared/origins';
import { createUndoManager } from '$shared/undo';

const STACK_EVENTS = ['stack-item-added', 'stack-item-popped', 'stack-cleared', 'stack-item-updated'] as const;

/**
 * One person's undo and redo. It tracks only this session's origin, so undo never reverts
 * someone else's work; `canUndo` and `canRedo` are read from the undo manager's stacks.
 */
export class History {
	readonly #manager: Y.UndoManager;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc, origin: LocalOrigin) {
		const manager = createUndoManager(doc, origin);
		this.#manager = manager;
		this.#subscribe = createSubscriber((update) => {
			for (const event of STACK_EVENTS) manager.on(event, update);
			return () => {
				for (const event of STACK_EVENTS) manager.off(event, update);
			};
		});
	}

	get canUndo(): boolean {
		this.#subscribe();
		return this.#manager.canUndo();
	}

	get canRedo(): boolean {
		this.#subscribe();
		return this.#manager.canRedo();
	}

	/** Undo this person's last step; false when there was nothing to undo. */
	undo(): boolean {
		return this.#manager.undo() !== null;
	}

	redo(): boolean {
		return this.#manager.redo() !== null;
	}

	/** End the current step, so the next change is undone separately (after a move, say). */
	stopCapturing(): void {
		this.#manager.stopCapturing();
	}

	/**
	 * Run a discrete action (tick, pick, split) as its own undo step, not merged with typing
	 * just before or after it.
	 * @example session.history.step(() => setStatus(session.doc, id, 'ready', session.origin))
	 */
	step<T>(action: () => T): T {
		this.#manager.stopCapturing();
		try {
			return action();
		} finally {
			this.#manager.stopCapturing();
		}
	}

	destroy(): void {
		this.#manager.destroy();
	}
}
