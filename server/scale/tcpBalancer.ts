import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP load balancer on loopback, standing in for nginx or HAProxy in tests: each
 * new connection goes to the next backend that accepts it, so when a relay dies its clients'
 * reconnects land on the others. WebSocket upgrades pass through untouched (it is plain TCP).
 */
export interface TcpBalancer {
	port: number;
	server: Server;
	close(): Promise<void>;
}

export async function startTcpBalancer(backends: number[]): Promise<TcpBalancer> {
	let next = 0;
	const sockets = new Set<Socket>();
	const route = (client: Socket, tried: number) => {
		if (tried >= backends.length) return client.destroy();
		const port = backends[next++ % backends.length];
		const upstream = connect(port, '127.0.0.1');
		upstream.once('error', () => {
			// Refused before anything was sent: the backend is down, try the next one.
			if (upstream.bytesWritten === 0 && !client.destroyed) route(client, tried + 1);
			else client.destroy();
		});
		upstream.once('connect', () => {
			sockets.add(upstream);
			upstream.on('error', () => client.destroy());
			client.pipe(upstream);
			upstream.pipe(client);
			upstream.once('close', () => {
				sockets.delete(upstream);
				client.destroy();
			});
			client.once('close', () => upstream.destroy());
			client.resume();
		});
	};
	const server = createServer({ pauseOnConnect: true }, (client) => {
		sockets.add(client);
		client.once('close', () => sockets.delete(client));
		client.on('error', () => {});
		route(client, 0);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : 0,
		server,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}
