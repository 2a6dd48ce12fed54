import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MergeBudgetError, MergeWorker } from './MergeWorker';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const workers: MergeWorker[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
	for (const worker of workers.splice(0)) await worker.close();
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Two updates: a value, then its replacement. */
function replacedValue(): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	doc.getMap('m').set('v', 'a'.repeat(50_000));
	doc.getMap('m').set('v', 'b');
	return updates;
}

describe('the merge worker', () => {
	it('runs from its own module file: merges, diffs and collects garbage', async () => {
		const worker = new MergeWorker();
		workers.push(worker);
		const parts = replacedValue();
		const { state } = await worker.merge(parts);
		const { diff } = await worker.diff(parts, Uint8Array.of(0));
		const collected = await worker.collect(parts);
		const read = (update: Uint8Array) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			return doc.getMap('m').get('v');
		};
		expect(read(state)).toBe('b');
		expect(read(diff!)).toBe('b');
		expect(read(collected.state)).toBe('b');
		// The merge keeps the replaced value; the collection drops it and keeps every clock.
		expect(state.byteLength).toBeGreaterThan(50_000);
		expect(collected.state.byteLength).toBeLessThan(100);
		expect(Y.decodeStateVector(collected.stateVector!)).toEqual(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)));
	});

	it('refuses a job over its time budget and goes on with the next', async () => {
		const worker = new MergeWorker({ timeMs: 1 });
		workers.push(worker);
		await expect(worker.collect(replacedValue())).rejects.toBeInstanceOf(MergeBudgetError);
	});

	it('runs when the server is bundled by esbuild, with mergeWorker.js as its own entry point beside the bundle', { timeout: 60_000 }, async () => {
		mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
		const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/mergeworker-build-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const entry = join(dir, 'entry.ts');
		writeFileSync(
			entry,
			`import * as Y from 'yjs';
import { MergeWorker } from ${JSON.stringify(join(ROOT, 'server/relay/MergeWorker.ts'))};
const doc = new Y.Doc();
const updates = [];
doc.on('update', (update) => updates.push(update));
doc.getMap('m').set('v', 'a'.repeat(1000));
doc.getMap('m').set('v', 'b');
const worker = new MergeWorker();
const { state } = await worker.collect(updates);
const check = new Y.Doc();
Y.applyUpdate(check, state);
await worker.close();
console.log(check.getMap('m').get('v'), state.byteLength < 100);
`
		);
		const outdir = join(dir, 'build');
		await build({
			entryPoints: { main: entry, mergeWorker: join(ROOT, 'server/relay/mergeWorker.js') },
			outdir,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			packages: 'external',
			logLevel: 'silent'
		});
		const { stdout } = await promisify(execFile)(process.execPath, [join(outdir, 'main.js')], { cwd: dir });
		expect(stdout.trim()).toBe('b true');
	});
});
