/** Offer a text as a file download, as the browser's own "Save as" would. */
export function downloadText(fileName: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	// The download has started by now; the URL is no longer needed.
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a room name: letters, digits and dashes, never empty. */
export function fileBaseName(roomName: string): string {
	// NFKD splits "É" into "E" and a combining accent, which is then dropped with the rest.
	return roomName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'backlog';
}
