import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { benchEndpoint } from './benchEndpoint';

/** The floor: every frame re-sent to every socket on the same path (sender included), nothing else. */
const server = createServer((req, res) => benchEndpoint(req, res) || res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
const rooms = new Map<string, Set<WebSocket>>();
server.on('upgrade', (req, socket, head) => {
	const path = new URL(req.url ?? '/', 'http://x').pathname;
	wss.handleUpgrade(req, socket, head, (ws) => {
		const peers = rooms.get(path) ?? new Set<WebSocket>();
		rooms.set(path, peers);
		peers.add(ws);
		ws.on('message', (data, isBinary) => {
			for (const peer of peers) peer.send(data, { binary: isBinary });
		});
		ws.on('close', () => peers.delete(ws));
	});
});
server.listen(Number(process.env.PORT), '127.0.0.1');

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
