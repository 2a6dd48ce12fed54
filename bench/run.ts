import { existsSync } from 'node:fs';
import os from 'node:os';

/**
 * `npm run bench`: every benchmark, one after the other, with the machine named
 * first. Pass a name to run one part: `npm run bench -- model`, `-- relay`, `-- scale`, `-- soak`, `-- web`, `-- first-render`, `-- startup`, `-- import` or `-- history`.
 */
const only = process.argv[2];
console.log(`# Refinery benchmarks — ${new Date().toISOString()}`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`);

if (!only || only === 'model') {
	const { main } = await import('./model');
	main();
}
if ((!only || only === 'relay') && existsSync(new URL('./relay/run.ts', import.meta.url))) {
	const { main } = await import('./relay/run');
	await main();
}
if ((!only || only === 'scale') && existsSync(new URL('./scale/run.ts', import.meta.url))) {
	const { main } = await import('./scale/run');
	await main();
}
// Ten minutes by default: only when asked for (`npm run bench -- soak`).
if (only === 'soak') {
	const { soak } = await import('./scale/run');
	await soak();
}
if ((!only || only === 'web') && existsSync(new URL('./web/run.ts', import.meta.url))) {
	const { main } = await import('./web/run');
	await main();
}
// Builds a reference commit in a worktree: only when asked for (`npm run bench -- first-render [commit]`).
if (only === 'first-render') {
	const { main } = await import('./web/firstRenderVs');
	await main();
}
if ((!only || only === 'offline') && existsSync(new URL('./offline/run.ts', import.meta.url))) {
	const { main } = await import('./offline/run');
	await main();
}
if ((!only || only === 'startup') && existsSync(new URL('./startup/run.ts', import.meta.url))) {
	const { main } = await import('./startup/run');
	await main();
}
if ((!only || only === 'import') && existsSync(new URL('./web/import.ts', import.meta.url))) {
	const { main } = await import('./web/import');
	await main();
}
if ((!only || only === 'history') && existsSync(new URL('./history/run.ts', import.meta.url))) {
	const { main } = await import('./history/run');
	await main();
}
