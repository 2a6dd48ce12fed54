import { basename, extname } from 'node:path';
import * as Y from 'yjs';
import { deriveViewKey, keyCheck } from '../access/keys';
import { newRoomId } from '../../shared/ids';
import { importRoom } from '../../shared/importJson';
import { addDraftItems } from '../../shared/io/addDraftItems';
import { detectFormat, IMPORT_FORMATS, type ImportFormat } from '../../shared/io/detect';
import { blockingProblems } from '../../shared/io/draft';
import { BacklogImportError, describeProblem } from '../../shared/io/problems';
import { readBacklog } from '../../shared/io/readBacklog';
import { initRoom, readMeta, setRoomName } from '../../shared/meta';
import { getItems } from '../../shared/doc';
import { importOrigin } from '../../shared/origins';
import { DECKS } from '../../shared/poker/decks';
import type { RoomStore } from '../persistence/RoomStore';

/** The default base of printed links; `--base-url` or `PUBLIC_URL` change it. */
export const DEFAULT_BASE_URL = 'http://localhost:3000';

export interface ImportedRoom {
	roomId: string;
	editKey: string;
	name: string;
	items: number;
	/** Non-blocking notes (unknown types, missing parents), in English, with their lines. */
	warnings: string[];
}

/** `md` is accepted for Markdown on the command line, as in `export --format md`. */
export function parseFormat(value: string): ImportFormat {
	const format = value === 'md' ? 'markdown' : value;
	if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new RangeError(`unknown format ${value} (known: csv, md, lines, json)`);
	return format as ImportFormat;
}

/**
 * Build a new room from a CSV, Markdown, plain-lines or room-JSON text and store it as a room
 * claimed with a fresh edit key, exactly as a browser's first connection would claim it: the
 * relay then accepts the printed link. Everything is checked before anything is stored; a bad
 * file throws RoomImportError or BacklogImportError and leaves the store untouched.
 */
export async function importRoomFile(store: RoomStore, text: string, fileName: string, options: { format?: ImportFormat; name?: string; now?: number } = {}): Promise<ImportedRoom> {
	const format = options.format ?? detectFormat(text, fileName);
	const origin = importOrigin(basename(fileName));
	const doc = new Y.Doc();
	const fallbackName = options.name ?? (basename(fileName, extname(fileName)) || 'Imported backlog');
	const warnings: string[] = [];
	if (format === 'json') {
		importRoom(doc, JSON.parse(text.replace(/^\uFEFF/, '')), origin);
		if (options.name) setRoomName(doc, options.name, origin);
		initRoom(doc, { name: fallbackName, deck: DECKS.fibonacci }, origin);
	} else {
		const draft = readBacklog(text, format);
		const blocking = blockingProblems(draft);
		if (blocking.length) throw new BacklogImportError(blocking);
		warnings.push(...draft.problems.map(describeProblem));
		initRoom(doc, { name: options.name ?? draft.name ?? fallbackName, deck: DECKS.fibonacci, now: options.now }, origin);
		addDraftItems(doc, draft, origin, { now: options.now });
	}
	const update = Y.encodeStateAsUpdate(doc);
	const roomId = newRoomId();
	const editKey = newRoomId();
	const now = options.now ?? Date.now();
	await store.claimRoom(roomId, await keyCheck(await deriveViewKey(editKey)), now);
	await store.appendUpdate(roomId, update);
	await store.touchRoom(roomId, now, update.byteLength);
	const items = getItems(doc).size;
	const name = readMeta(doc).name;
	doc.destroy();
	return { roomId, editKey, name, items, warnings };
}

/** The edit link of a room: keys in the fragment, so they never reach a server log. */
export function editLink(baseUrl: string, roomId: string, editKey: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/r/${roomId}#k=${editKey}`;
}
