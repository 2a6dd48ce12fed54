import type { Attachment } from 'svelte/attachments';
import type * as Y from 'yjs';
import { RefineryError } from '$shared/doc';
import { diffText, type TextChange } from '$shared/text';
import { shiftPosition, type DeltaOp } from './caret';

/**
 * Bind an `<input>` or `<textarea>` to a Y.Text, for `{@attach}`. What the person types is sent
 * as the smallest change through `write` (a writer such as `editItemText`), so it merges with
 * others typing in the same text; what others type updates the field while the caret and
 * selection stay on the same characters. If `write` refuses the change (a RefineryError such as
 * too long, possible when merged text passes the limit) the field goes back to the document's text.
 * @example <input {@attach bindText(title, (change) => editItemText(doc, id, 'title', change, origin))} />
 */
export function bindText(text: Y.Text, write: (change: TextChange) => void): Attachment<HTMLInputElement | HTMLTextAreaElement> {
	return (field) => {
		// What the document held when the field last matched it: local edits are diffed against it.
		let known = text.toString();
		field.value = known;

		const sendLocal = () => {
			const next = field.value;
			if (next === known) return;
			const change: TextChange = diffText(known, next);
			known = next;
			try {
				write(change);
			} catch (error) {
				known = field.value = text.toString();
				if (!(error instanceof RefineryError)) throw error;
			}
		};
		const onInput = (event: Event) => {
			// Wait for the composed character rather than sending every step of an IME.
			if ((event as InputEvent).isComposing) return;
			sendLocal();
		};
		const observer = (event: Y.YTextEvent) => {
			const next = text.toString();
			if (next === field.value) {
				known = next;
				return;
			}
			const delta = event.delta as DeltaOp[];
			const focused = field.ownerDocument.activeElement === field;
			const start = field.selectionStart ?? 0;
			const end = field.selectionEnd ?? 0;
			const direction = field.selectionDirection ?? 'none';
			known = field.value = next;
			if (focused) field.setSelectionRange(shiftPosition(start, delta), shiftPosition(end, delta), direction);
		};

		field.addEventListener('input', onInput);
		field.addEventListener('compositionend', sendLocal);
		text.observe(observer);
		return () => {
			field.removeEventListener('input', onInput);
			field.removeEventListener('compositionend', sendLocal);
			text.unobserve(observer);
		};
	};
}
