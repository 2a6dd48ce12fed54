import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { benchEndpoint } from './benchEndpoint';

/** The reference relay (@y/websocket-server 0.1.1), no persistence, on the same paths as ours. */
const server = createServer((req, res) => benchEndpoint(req, res) || res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
	const docName = new URL(req.url ?? '/', 'http://x').pathname.slice('/sync/'.length);
	wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
