/**
 * A file's text. `File.text()` always decodes UTF-8, so a spreadsheet's "Unicode text" export
 * (UTF-16 with a byte-order mark) would read as NULs between letters and be refused as not text;
 * the byte-order mark says which decoding the file wants.
 */
export async function decodeFile(file: Blob): Promise<string> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
	return new TextDecoder(encoding).decode(bytes);
}
