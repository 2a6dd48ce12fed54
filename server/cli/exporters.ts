import type * as Y from 'yjs';
import { exportRoom } from '../../shared/exportJson';

/** Turns a room's document into one export format. Add csv or md here; the CLI picks them up. */
export type Exporter = (doc: Y.Doc) => string;

export const EXPORTERS: Record<string, Exporter> = {
	json: (doc) => JSON.stringify(exportRoom(doc), null, 2) + '\n'
};
