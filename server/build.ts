import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Worker threads run from files of their own, so each is an entry point beside main.js: the
 * store worker (`server/persistence/storeWorker.js` as `storeWorker.js`), the merge worker
 * (`server/relay/mergeWorker.js` as `mergeWorker.js`) and any
 * `*.worker.ts` under server/. Code that starts one finds it next to itself through
 * `new URL('./<Name>.js', import.meta.url)` when it runs compiled.
 */
export function serverEntries(root = ROOT): Record<string, string> {
	// rooms.js: the admin CLI (backup, restore-backup, list…) for images that carry no TypeScript.
	const entries: Record<string, string> = { main: join(root, 'server/main.ts'), rooms: join(root, 'server/cli/rooms.ts') };
	// The store worker's entry is plain JavaScript (server/persistence/StoreWorker.ts says why);
	// StoreWorker.ts finds it as `./storeWorker.js` beside whichever file it was bundled into.
	const store = join(root, 'server/persistence/storeWorker.js');
	if (existsSync(store)) entries.storeWorker = store;
	// The merge worker's likewise (server/relay/MergeWorker.ts finds `./mergeWorker.js`).
	const merge = join(root, 'server/relay/mergeWorker.js');
	if (existsSync(merge)) entries.mergeWorker = merge;
	const visit = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory() && entry.name !== 'testing') visit(path);
			else if (/\.worker\.ts$/.test(entry.name)) entries[basename(entry.name, '.ts')] = path;
		}
	};
	visit(join(root, 'server'));
	return entries;
}

/**
 * Compile server/ to JavaScript in `outDir` (default build/server/, beside adapter-node's own
 * `chunks/`, `index.js` and `manifest.js` there, whose names ours do not take): one ESM bundle per entry with our code inlined and packages left to
 * node_modules (better-sqlite3 is native), so production runs on plain `node`.
 */
export async function buildServer(outDir = join(ROOT, 'build/server')): Promise<string[]> {
	const entries = serverEntries();
	await build({
		entryPoints: entries,
		outdir: outDir,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20.19',
		packages: 'external',
		// Code loaded by `import()` (Redis, only with REDIS_URL) stays out of the start-up path.
		// Chunks sit beside the entries, so `new URL('./storeWorker.js', import.meta.url)` means
		// the same folder from whichever file the code that says it ends up in.
		splitting: true,
		chunkNames: '[name]-[hash]',
		sourcemap: 'linked',
		logLevel: 'warning'
	});
	return Object.keys(entries).map((name) => relative(ROOT, join(outDir, `${name}.js`)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const outDir = process.argv[2];
	buildServer(outDir).then(
		(files) => console.log(`server built: ${files.join(', ')}`),
		(error) => {
			console.error(error);
			process.exit(1);
		}
	);
}
