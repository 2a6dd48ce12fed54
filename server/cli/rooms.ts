import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { isRoomId } from '../../shared/ids';
import { databasePath, SqliteStore } from '../persistence/SqliteStore';
import { EXPORTERS } from './exporters';

const USAGE = `Usage: npm run rooms -- <command>   (works on DATA_DIR, default ./data)
  list                                  rooms with size and last activity
  export <roomId> [--format json]       print a room to stdout (formats: ${Object.keys(EXPORTERS).join(', ')})
  delete <roomId>                       remove a room and everything stored for it`;

/** Wrong arguments: print usage, exit 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
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
	out: (text: string) => void;
	err: (text: string) => void;
}

type Command = (args: string[], store: SqliteStore, io: CliIo) => Promise<void>;

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
	async delete(args, store, io) {
		const roomId = roomIdArg(args);
		if (!(await store.deleteRoom(roomId))) throw new UnknownRoomError(roomId);
		io.err(`deleted room ${roomId}\n`);
	}
};

/** Run the rooms CLI; returns the exit code (0 ok, 1 unknown room or failure, 2 usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
	const [name, ...args] = argv;
	const command = name === undefined ? undefined : COMMANDS[name];
	if (!command) {
		io.err(`${name === undefined ? 'missing command' : `unknown command ${name}`}\n${USAGE}\n`);
		return 2;
	}
	if (!existsSync(databasePath(io.dataDir))) {
		io.err(`no database at ${databasePath(io.dataDir)} (set DATA_DIR)\n`);
		return 1;
	}
	const store = new SqliteStore(databasePath(io.dataDir));
	try {
		await command(args, store, io);
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			io.err(`${error.message}\n${USAGE}\n`);
			return 2;
		}
		if (error instanceof UnknownRoomError) {
			io.err(`${error.message}\n`);
			return 1;
		}
		throw error;
	} finally {
		await store.close();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const io: CliIo = {
		dataDir: process.env.DATA_DIR || './data',
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
