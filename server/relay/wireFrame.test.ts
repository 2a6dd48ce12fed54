import type { Duplex } from 'node:stream';
import { expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { binaryFrame } from './wireFrame';

const LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 70_000];

it('frames binary messages that a ws client reads whole, at every length boundary, in order with ws.send', async () => {
	const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
	await new Promise((resolve) => server.once('listening', resolve));
	server.on('connection', (ws) => {
		// As the relay's sendFramed writes: straight to ws's socket, between messages ws sends itself.
		const socket = (ws as unknown as { _socket: Duplex })._socket;
		for (const length of LENGTHS) {
			socket.write(binaryFrame(Buffer.alloc(length, length % 251)));
			ws.send(Buffer.of(length % 256));
		}
	});
	const { port } = server.address() as { port: number };
	const client = new WebSocket(`ws://127.0.0.1:${port}`);
	const messages: { data: Buffer; isBinary: boolean }[] = [];
	await new Promise<void>((resolve, reject) => {
		client.on('message', (data: Buffer, isBinary: boolean) => {
			messages.push({ data, isBinary });
			if (messages.length === LENGTHS.length * 2) resolve();
		});
		client.on('error', reject);
	});
	client.close();
	server.close();
	expect(messages.every((message) => message.isBinary)).toBe(true);
	LENGTHS.forEach((length, i) => {
		expect(messages[2 * i].data.equals(Buffer.alloc(length, length % 251))).toBe(true);
		expect(Array.from(messages[2 * i + 1].data)).toEqual([length % 256]);
	});
});
