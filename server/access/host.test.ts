import { describe, expect, it } from 'vitest';
import { hostName, hostPolicy, isHostAllowed } from './host';

describe('Host check', () => {
	it('reads the name of a Host header', () => {
		expect(hostName('Refinery.Example:443')).toBe('refinery.example');
		expect(hostName('[::1]:3000')).toBe('::1');
		expect(hostName('refinery.example.')).toBe('refinery.example');
		expect(hostName('a b')).toBeNull();
		expect(hostName('user@evil')).toBeNull();
		expect(hostName(undefined)).toBeNull();
	});

	it('refuses a rebinding name, answers IP literals, localhost and the listed names', () => {
		const policy = hostPolicy({ allowedHosts: undefined, publicUrl: 'https://refinery.example', listenHost: '127.0.0.1', machineName: 'box' });
		expect(isHostAllowed('rebind.example', policy)).toBe(false);
		expect(isHostAllowed('rebind.example:3000', policy)).toBe(false);
		expect(isHostAllowed(undefined, policy)).toBe(false);
		for (const host of ['refinery.example', '127.0.0.1:3000', 'localhost:3000', 'app.localhost', '[::1]:3000', '192.168.1.20:3000']) {
			expect(isHostAllowed(host, policy), host).toBe(true);
		}
		// On loopback with nothing configured, only the loopback names and addresses.
		const local = hostPolicy({ allowedHosts: undefined, publicUrl: null, listenHost: '127.0.0.1', machineName: 'box' });
		expect(local).toEqual([]);
		expect(isHostAllowed('box', local)).toBe(false);
	});

	it('on the LAN without configuration the machine is reachable by its own name; ALLOWED_HOSTS=* turns the check off', () => {
		const lan = hostPolicy({ allowedHosts: undefined, publicUrl: null, listenHost: '0.0.0.0', machineName: 'Meeting-Box.lan' });
		expect(isHostAllowed('meeting-box.lan:3000', lan)).toBe(true);
		expect(isHostAllowed('meeting-box.local:3000', lan)).toBe(true);
		expect(isHostAllowed('rebind.example:3000', lan)).toBe(false);
		expect(isHostAllowed('rebind.example', hostPolicy({ allowedHosts: '*', publicUrl: null, listenHost: '0.0.0.0', machineName: 'x' }))).toBe(true);
		expect(hostPolicy({ allowedHosts: 'a.example, B.example:8443', publicUrl: null, listenHost: '0.0.0.0', machineName: 'x' })).toEqual(['a.example', 'b.example']);
	});
});
