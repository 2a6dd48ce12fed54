import type { Attachment } from 'svelte/attachments';
import type { Presence } from './Presence.svelte';

/**
 * Tell the others which field this person is in while focus is inside the element, for
 * `{@attach}`. Focus moving between two controls of one field does not flicker to "nothing".
 * @example <textarea {@attach editingPresence(session.presence, itemId, 'description')}></textarea>
 */
export function editingPresence(presence: Presence, itemId: string, field: string): Attachment<HTMLElement> {
	return (element) => {
		const isOurs = () => {
			const editing = presence.peers.find((peer) => peer.self)?.editing;
			return editing?.itemId === itemId && editing.field === field;
		};
		// Focus events also fire while Svelte updates the DOM (a focused button is removed or
		// moved), where changing presence, which is state, is not allowed: decide a moment later.
		// Microtasks run in order, so leaving one field and entering the next ends on the next.
		const settle = () =>
			queueMicrotask(() => {
				const inside = element.isConnected && element.contains(element.ownerDocument.activeElement);
				if (inside) {
					if (!isOurs()) presence.setEditing({ itemId, field });
				} else if (isOurs()) {
					presence.setEditing(null);
				}
			});
		element.addEventListener('focusin', settle);
		element.addEventListener('focusout', settle);
		return () => {
			element.removeEventListener('focusin', settle);
			element.removeEventListener('focusout', settle);
			queueMicrotask(() => isOurs() && presence.setEditing(null));
		};
	};
}
