import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { connectClient, newRoom, synced, waitFor } from './testing/clients';
import { freePort } from './testing/serverProcess';

/**
 * The production path of the Dockerfile, without Docker (no engine runs on our machines):
 * scripts/production.sh build in a clean copy of the repository, then the image's final stage
 * rebuilt as a folder (package files, build/, scripts/, production dependencies only, no tsx)
 * and scripts/production.sh start in it, on plain node. docs/DEPLOY.md says what this covers.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'refinery-production-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a shell on a clean machine: none of vitest's variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name === 'TEST') delete env[name];
	return env;
}

/** Hard links to `node_modules/<name>` for each package in `names` (the copy costs no disk). */
function linkPackages(from: string, to: string, names: string[]): void {
	for (const name of names) {
		mkdirSync(dirname(join(to, name)), { recursive: true });
		execFileSync('cp', ['-al', join(from, name), join(to, name)]);
	}
}

/** The files `COPY . .` sends: git's tracked and unignored files, else all but .dockerignore's. */
function contextFiles(): string[] {
	const git = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
	if (git.status === 0) return git.stdout.split('\0').filter(Boolean);
	const ignored = new Set(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter(Boolean));
	const files: string[] = [];
	const visit = (dir: string) => {
		for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
			const path = dir ? `${dir}/${entry.name}` : entry.name;
			if (ignored.has(entry.name) || ignored.has(path)) continue;
			if (entry.isDirectory()) visit(path);
			else files.push(path);
		}
	};
	visit('');
	return files;
}

it('the Dockerfile calls scripts/production.sh for its build and run steps', () => {
	const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
	expect(dockerfile).toMatch(/RUN sh scripts\/production\.sh build/);
	expect(dockerfile).toMatch(/CMD \["sh", "scripts\/production\.sh", "start"\]/);
	expect(dockerfile).toMatch(/^USER node$/m);
	expect(dockerfile).toMatch(/HEALTHCHECK [\s\S]*\/healthz/);
	expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start).toBe('sh scripts/production.sh build && sh scripts/production.sh start');
});

it('builds in a clean copy, then runs from production dependencies on plain node: /healthz, the app, a room, private files, the compiled CLI', { timeout: 600_000 }, async () => {
	// Build stage: the repository's files (as `COPY . .` would see them) and its installed packages.
	const source = join(work, 'source');
	for (const file of contextFiles()) if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(source, file));
	execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(source, 'node_modules')]);
	const build = spawnSync('sh', ['scripts/production.sh', 'build'], { cwd: source, env: cleanEnv(), encoding: 'utf8' });
	expect(build.status, build.stdout + build.stderr).toBe(0);
	expect(existsSync(join(source, 'build/handler.js'))).toBe(true);
	expect(existsSync(join(source, 'build/server/main.js'))).toBe(true);

	// Final stage: what the image copies, with the production dependencies of the lock file only.
	const image = join(work, 'image');
	for (const path of ['package.json', 'package-lock.json', 'build', 'scripts']) cpSync(join(source, path), join(image, path), { recursive: true });
	const lock = JSON.parse(readFileSync(join(source, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
	const production = Object.entries(lock.packages)
		.filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !path.slice('node_modules/'.length).includes('node_modules/'))
		.map(([path]) => path)
		// Present in the image, and proven unneeded here: nothing may load a TypeScript loader.
		.filter((path) => path !== 'node_modules/tsx');
	linkPackages(source, image, production.filter((path) => existsSync(join(source, path))));
	expect(existsSync(join(image, 'node_modules/vite'))).toBe(false);
	expect(existsSync(join(image, 'node_modules/tsx'))).toBe(false);

	const port = await freePort();
	const dataDir = join(image, 'data');
	const started = Date.now();
	const child = spawn('sh', ['scripts/production.sh', 'start'], {
		cwd: image,
		env: cleanEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	try {
		await waitFor(() => output.includes('"listening"') || child.exitCode !== null, 30_000, 'listening');
		expect(child.exitCode, output).toBeNull();
		console.log(`production server listening ${Date.now() - started} ms after spawn (sh + node; measured properly in bench/startup.ts)`);

		// `exec` in the script: the shell's process is now node, with no loader in its arguments or environment.
		const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
		expect(argv.slice(1)).toEqual(['build/server/main.js']);
		const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
		expect(environ.filter((entry) => entry.startsWith('NODE_OPTIONS='))).toEqual([]);

		const url = `http://127.0.0.1:${port}`;
		expect((await fetch(`${url}/healthz`)).status).toBe(200);
		const home = await fetch(`${url}/`);
		expect(home.status).toBe(200);
		expect(home.headers.get('content-security-policy')).toContain("script-src 'self' 'sha256-");

		const room = await newRoom();
		const provider = connectClient(`ws://127.0.0.1:${port}/sync`, room.roomId, room.editKey);
		try {
			await synced(provider);
			provider.doc.getText('t').insert(0, 'stored by the compiled relay');
			await waitFor(() => readdirSync(dataDir).some((file) => file.startsWith('refinery.db')), 5000, 'database files');
			await new Promise((resolve) => setTimeout(resolve, 800));
		} finally {
			provider.destroy();
		}

		// DATA_DIR 0700 and every file in it 0600: the database, its WAL, the journal, the lock.
		expect(statSync(dataDir).mode & 0o777).toBe(0o700);
		const modes = Object.fromEntries(readdirSync(dataDir).map((file) => [file, (statSync(join(dataDir, file)).mode & 0o777).toString(8)]));
		expect(Object.keys(modes)).toEqual(expect.arrayContaining(['refinery.db', 'relay.lock']));
		expect(Object.values(modes).every((mode) => mode === '600'), JSON.stringify(modes)).toBe(true);

		// The compiled admin CLI works beside the running relay, on plain node too.
		const list = spawnSync(process.execPath, ['build/server/rooms.js', 'list'], { cwd: image, env: cleanEnv({ DATA_DIR: dataDir }), encoding: 'utf8' });
		expect(list.status, list.stderr).toBe(0);
		expect(list.stdout).toContain(room.roomId);
		const backup = spawnSync(process.execPath, ['build/server/rooms.js', 'backup', join(work, 'backup.db')], { cwd: image, env: cleanEnv({ DATA_DIR: dataDir }), encoding: 'utf8' });
		expect(backup.status, backup.stderr).toBe(0);
	} finally {
		child.kill('SIGTERM');
	}
	expect(await exited).toBe(0);
	expect(existsSync(join(dataDir, 'relay.lock'))).toBe(false);
});
