import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { isRoomId } from '../../shared/ids';
import { databasePath, SqliteStore } from '../persistence/SqliteStore';
import type { RoomStore } from '../persistence/RoomStore';
import { RedisStore } from '../persistence/RedisStore';
import { connectRedis } from '../redis/connection';
import { createLogger } from '../log';
import { RoomImportError } from '../../shared/importJson';
import { BacklogImportError } from '../../shared/io/problems';
import { BackupError, backupDataDir, restoreBackup } from './backup';
import { EXPORTERS } from './exporters';
import { DEFAULT_BASE_URL, editLink, importRoomFile, parseFormat } from './importer';
import { changesCommand, listVersionsCommand, removeVersions, restoreCommand, VersionCommandError } from './versionCommands';

const USAGE = `Usage: npm run rooms -- <command>   (works on REDIS_URL if set, else DATA_DIR, default ./data)
  list                                  rooms with size and last activity
  export <roomId> [--format json|csv|md] print a room to stdout (formats: ${Object.keys(EXPORTERS).join(', ')})
  delete <roomId>                       remove a room and everything stored for it, versions included
  versions <roomId>                     the room's versions, newest first (docs/HISTORY.md)
  changes <roomId> <from> <to>          what changed between two versions, grouped by item
  restore <roomId> <version> [--item <itemId>] [--url <relay URL>]
                                        restore the room (or one item) to a version, as a new change:
                                        through the relay running on PORT (its token in DATA_DIR, or
                                        the edit key in REFINERY_ROOM_KEY; --url for another relay);
                                        with REDIS_URL through the shared log; else on a stopped DATA_DIR
  import <file> [--format csv|md|lines|json] [--name <room name>] [--base-url <url>]
                                        create a room from a CSV (Jira, Azure DevOps, GitHub, Linear),
                                        Markdown, plain-lines or room JSON file; prints its edit link
                                        (base URL: --base-url, else PUBLIC_URL, else ${DEFAULT_BASE_URL})
  backup <file>                         a consistent copy of DATA_DIR as one SQLite file, safe while the relay runs
  restore-backup <file> [--force]       put a backup in place in DATA_DIR; the relay must be stopped
                                        (what was there is kept in DATA_DIR/before-restore-<time>/)`;

/** Wrong arguments: print usage, exit 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** A command that could not be done (unreadable or malformed file): its message, exit 1. */
export class CommandError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CommandError';
	}
}

/** The room id names no stored room: exit 1. */
export class UnknownRoomError extends Error {
	constructor(roomId: string) {
		super(`no room ${roomId} in this data directory`);
		this.name = 'UnknownRoomError';
	}
}

export interface CliIo {
	dataDir: string;
	/** Where the app is served, for printed links (PUBLIC_URL). */
	publicUrl?: string;
	/** Rooms shared by relays through Redis (REDIS_URL); dataDir is then unused. */
	redisUrl?: string;
	/** The relay's port on this machine (PORT), so a restore can tell whether it is running. */
	port?: number;
	/** A room's edit key, for a restore through a relay (REFINERY_ROOM_KEY); else the relay's token in DATA_DIR. */
	roomKey?: string;
	out: (text: string) => void;
	err: (text: string) => void;
}

type Command = (args: string[], store: RoomStore, io: CliIo) => Promise<void>;

function roomIdArg(args: string[]): string {
	const roomId = args.find((arg) => !arg.startsWith('--'));
	if (roomId === undefined) throw new UsageError('missing <roomId>');
	if (!isRoomId(roomId)) throw new UsageError(`not a room id: ${roomId}`);
	return roomId;
}

/** `--name value` or `--name=value`. */
function option(args: string[], name: string): string | undefined {
	const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (index < 0) return undefined;
	const arg = args[index];
	const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
	if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
	args.splice(index, arg.includes('=') ? 1 : 2);
	return value;
}

const COMMANDS: Record<string, Command> = {
	async list(_args, store, io) {
		const rooms = await store.listRooms();
		io.out(['id                      size  created                   last active', ...rooms.map((room) =>
			`${room.id}  ${String(room.size).padStart(8)}  ${new Date(room.createdAt).toISOString()}  ${new Date(room.lastActive).toISOString()}`
		)].join('\n') + '\n');
	},
	async export(args, store, io) {
		const format = option(args, 'format') ?? 'json';
		const exporter = EXPORTERS[format];
		if (!exporter) throw new UsageError(`unknown format ${format} (known: ${Object.keys(EXPORTERS).join(', ')})`);
		const roomId = roomIdArg(args);
		if (!(await store.getRoom(roomId))) throw new UnknownRoomError(roomId);
		const doc = new Y.Doc();
		for (const update of await store.loadState(roomId)) Y.applyUpdate(doc, update);
		io.out(exporter(doc));
		doc.destroy();
	},
	async import(args, store, io) {
		const formatOption = option(args, 'format');
		const name = option(args, 'name');
		const baseUrl = option(args, 'base-url') ?? io.publicUrl ?? DEFAULT_BASE_URL;
		const file = args.find((arg) => !arg.startsWith('--'));
		if (file === undefined) throw new UsageError('missing <file>');
		let format;
		try {
			format = formatOption === undefined ? undefined : parseFormat(formatOption);
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
		}
		try {
			const room = await importRoomFile(store, text, file, { format, name });
			for (const warning of room.warnings) io.err(`note: ${warning}\n`);
			io.err(`created room "${room.name}" with ${room.items} items\n`);
			io.out(editLink(baseUrl, room.roomId, room.editKey) + '\n');
		} catch (error) {
			if (error instanceof RoomImportError || error instanceof BacklogImportError) {
				throw new CommandError(`${error.message}\nnothing was imported`);
			}
			if (error instanceof SyntaxError) throw new CommandError(`Cannot import: ${file} is not valid JSON (${error.message})\nnothing was imported`);
			throw error;
		}
	},
	async delete(args, store, io) {
		const roomId = roomIdArg(args);
		if (!(await store.deleteRoom(roomId))) throw new UnknownRoomError(roomId);
		await removeVersions(roomId, io);
		io.err(`deleted room ${roomId}\n`);
	},
	async versions(args, _store, io) {
		await listVersionsCommand(roomIdArg(args), io);
	},
	async changes(args, _store, io) {
		const roomId = roomIdArg(args);
		const [from, to] = args.filter((arg) => !arg.startsWith('--')).slice(1);
		const number = /^[1-9][0-9]{0,15}$/;
		if (!from || !to || !number.test(from) || !number.test(to)) throw new UsageError('missing or malformed <from> <to> (version numbers from `versions`)');
		await changesCommand(roomId, Number(from), Number(to), io);
	},
	async restore(args, _store, io) {
		const itemId = option(args, 'item');
		const url = option(args, 'url');
		const roomId = roomIdArg(args);
		const version = args.filter((arg) => !arg.startsWith('--'))[1];
		if (version === undefined || !/^[1-9][0-9]{0,15}$/.test(version)) throw new UsageError('missing or malformed <version> (a number from `versions`)');
		await restoreCommand(roomId, Number(version), { itemId, url }, io);
	}
};

/** Run the rooms CLI; returns the exit code (0 ok, 1 unknown room or failure, 2 usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
	const [name, ...args] = argv;
	if (name === 'backup' || name === 'restore-backup') return fileCommand(name, args, io);
	const command = name === undefined ? undefined : COMMANDS[name];
	if (!command) {
		io.err(`${name === undefined ? 'missing command' : `unknown command ${name}`}\n${USAGE}\n`);
		return 2;
	}
	const store = await openStore(io, name === 'import');
	if (!store) return 1;
	try {
		await command(args, store, io);
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			io.err(`${error.message}\n${USAGE}\n`);
			return 2;
		}
		if (error instanceof UnknownRoomError || error instanceof CommandError || error instanceof VersionCommandError) {
			io.err(`${error.message}\n`);
			return 1;
		}
		throw error;
	} finally {
		await store.close();
	}
}

/** backup and restore-backup work on the data directory's files, not through a store. */
async function fileCommand(name: 'backup' | 'restore-backup', args: string[], io: CliIo): Promise<number> {
	const file = args.find((arg) => !arg.startsWith('--'));
	if (file === undefined) {
		io.err(`missing <file>\n${USAGE}\n`);
		return 2;
	}
	if (io.redisUrl) {
		io.err('REDIS_URL is set: back up Redis itself (AOF or RDB snapshots); see docs/DEPLOY.md\n');
		return 1;
	}
	try {
		if (name === 'backup') {
			const done = await backupDataDir(io.dataDir, file);
			io.err(`backed up ${done.rooms} rooms (${done.journalRecords} journal records included, ${done.bytes} bytes) to ${file}\n`);
		} else {
			const done = await restoreBackup(io.dataDir, file, { force: args.includes('--force') });
			io.err(`restored ${done.rooms} rooms into ${io.dataDir}${done.keptIn ? `; what was there is in ${done.keptIn}` : ''}\n`);
		}
		return 0;
	} catch (error) {
		if (!(error instanceof BackupError)) throw error;
		io.err(`${error.message}\n`);
		return 1;
	}
}

/** Redis when REDIS_URL is set (the relays' shared rooms), else the SQLite file in DATA_DIR. */
async function openStore(io: CliIo, create = false): Promise<RoomStore | null> {
	if (io.redisUrl) {
		let client: Awaited<ReturnType<typeof connectRedis>>;
		try {
			client = await connectRedis(io.redisUrl, createLogger('silent'), 'refinery-rooms-cli', { reconnect: false });
		} catch (error) {
			io.err(`cannot reach Redis at REDIS_URL: ${error instanceof Error ? error.message : String(error)}\n`);
			return null;
		}
		const store = new RedisStore(client);
		store.close = async () => void (await client.close());
		return store;
	}
	// Importing into a fresh data directory creates its database, as the relay would.
	if (create) mkdirSync(io.dataDir, { recursive: true });
	else if (!existsSync(databasePath(io.dataDir))) {
		io.err(`no database at ${databasePath(io.dataDir)} (set DATA_DIR)\n`);
		return null;
	}
	return new SqliteStore(databasePath(io.dataDir));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const io: CliIo = {
		dataDir: process.env.DATA_DIR || './data',
		publicUrl: process.env.PUBLIC_URL || undefined,
		redisUrl: process.env.REDIS_URL || undefined,
		port: Number(process.env.PORT) || 3000,
		roomKey: process.env.REFINERY_ROOM_KEY || undefined,
		out: (text) => process.stdout.write(text),
		err: (text) => process.stderr.write(text)
	};
	main(process.argv.slice(2), io).then(
		(code) => (process.exitCode = code),
		(error) => {
			console.error(error);
			process.exitCode = 1;
		}
	);
}
