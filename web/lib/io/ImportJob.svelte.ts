import * as Y from 'yjs';
import { importRoom, type ImportResult } from '$shared/importJson';
import type { CsvMapping } from '$shared/io/csvHeaders';
import type { ImportFormat } from '$shared/io/detect';
import { BLOCKING } from '$shared/io/problems';
import { roomLabels } from '$shared/labels';
import { lastLiveRank } from '$shared/order';
import type { LocalOrigin } from '$shared/origins';
import type { FromWorker, ReadSummary, ToWorker } from './protocol';

export type ImportStage = 'idle' | 'reading' | 'ready' | 'building' | 'applying' | 'failed';

/** Where an import lands: the room's document, the person's origin, and their undo history. */
export interface ImportTarget {
	doc: Y.Doc;
	origin: LocalOrigin;
	/** Runs the write as one undo step (`session.history.step`). */
	step<T>(write: () => T): T;
}

/**
 * One import in the dialog: read a text in the worker, show its summary, change the CSV
 * mapping, then write everything to the room in one transaction. The worker does the heavy
 * parts; the page applies one finished Yjs update with the person's origin, so the whole
 * import is one undo step and nothing is ever half-imported.
 */
export class ImportJob {
	stage = $state<ImportStage>('idle');
	/** Share of the current stage done, 0 to 1. */
	progress = $state(0);
	summary = $state.raw<ReadSummary | null>(null);
	/** Why the last step failed (the model's own words), or null. */
	error = $state<string | null>(null);
	#worker: Worker | null = null;
	#waiting: ((message: FromWorker) => void) | null = null;

	/** The problems that stop the import. */
	get blocking() {
		return this.summary?.problems.filter((p) => BLOCKING.has(p.code)) ?? [];
	}

	get warnings() {
		return this.summary?.problems.filter((p) => !BLOCKING.has(p.code)) ?? [];
	}

	get canImport(): boolean {
		return this.stage === 'ready' && !!this.summary && this.summary.count > 0 && this.blocking.length === 0;
	}

	#ensureWorker(): Worker {
		if (this.#worker) return this.#worker;
		const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
		worker.onmessage = (event: MessageEvent<FromWorker>) => {
			const message = event.data;
			if (message.type === 'progress') this.progress = message.done;
			else this.#waiting?.(message);
		};
		worker.onerror = (event) => this.#waiting?.({ type: 'failed', message: event.message || 'the import worker stopped' });
		this.#worker = worker;
		return worker;
	}

	#ask(message: ToWorker, stage: ImportStage): Promise<FromWorker> {
		this.stage = stage;
		this.progress = 0;
		this.error = null;
		const worker = this.#ensureWorker();
		return new Promise((resolve) => {
			this.#waiting = (answer) => {
				this.#waiting = null;
				if (answer.type === 'failed') {
					this.stage = 'failed';
					this.error = answer.message;
				}
				resolve(answer);
			};
			worker.postMessage(message);
		});
	}

	/** Read a file's or a paste's text; `format` null detects it; `baseUrl` is the tracker's address for links. */
	async read(text: string, fileName: string, format: ImportFormat | null, baseUrl: string | null = null): Promise<void> {
		this.summary = null;
		const answer = await this.#ask({ type: 'read', text, fileName, format, baseUrl }, 'reading');
		if (answer.type === 'read') {
			this.summary = answer;
			this.stage = 'ready';
		}
	}

	/** Convert the CSV again with a changed mapping. */
	async remap(mapping: CsvMapping): Promise<void> {
		const answer = await this.#ask({ type: 'map', mapping }, 'reading');
		if (answer.type === 'read') {
			this.summary = answer;
			this.stage = 'ready';
		}
	}

	/**
	 * Write the read items into the room in one step. Returns how many were added (and, for a
	 * room export, updated), or null when it failed (see `error`). A room export renames the
	 * room only with `takeName` (the dialog asks).
	 */
	async importInto(target: ImportTarget, by: string, { takeName = false }: { takeName?: boolean } = {}): Promise<ImportResult | null> {
		const summary = this.summary;
		if (!summary || !this.canImport) return null;
		if (summary.room) {
			this.stage = 'applying';
			try {
				const result = target.step(() => importRoom(target.doc, summary.room, target.origin, { takeName }));
				this.stage = 'ready';
				return result;
			} catch (error) {
				this.stage = 'failed';
				this.error = error instanceof Error ? error.message : String(error);
				return null;
			}
		}
		const asked = performance.now();
		const answer = await this.#ask({ type: 'build', after: lastLiveRank(target.doc), by, labels: roomLabels(target.doc) }, 'building');
		if (answer.type !== 'built') return null;
		performance.measure('refinery:import-build', { start: asked, end: performance.now() });
		this.stage = 'applying';
		// Let the progress bar show "adding" before the one synchronous apply.
		await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
		const start = performance.now();
		target.step(() => Y.applyUpdate(target.doc, answer.update, target.origin));
		// For the import benchmark (bench/web/import.ts): how long the one transaction took.
		performance.measure('refinery:import-apply', { start, end: performance.now() });
		// Whatever the caller does next (closing the dialog restores focus and lays out the page)
		// runs in a task of its own rather than lengthening the apply's.
		await new Promise((resolve) => setTimeout(resolve, 0));
		this.stage = 'ready';
		return { created: answer.count, updated: 0, renamed: false };
	}

	destroy(): void {
		this.#worker?.terminate();
		this.#worker = null;
		this.#waiting = null;
	}
}
