import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

it('REDIS_URL: unset or empty means one machine; a redis:// or rediss:// URL shares rooms; anything else is refused', () => {
	expect(loadConfig({}).redisUrl).toBeNull();
	expect(loadConfig({ REDIS_URL: ' ' }).redisUrl).toBeNull();
	expect(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379' }).redisUrl).toBe('redis://10.0.0.5:6379');
	expect(loadConfig({ REDIS_URL: 'rediss://user:secret@cache.example:6380/2' }).redisUrl).toBe('rediss://user:secret@cache.example:6380/2');
	expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
	expect(() => loadConfig({ REDIS_URL: 'http://cache' })).toThrow(ConfigError);
	expect(loadConfig({}).heartbeatMs).toBe(2000);
	expect(() => loadConfig({ RELAY_HEARTBEAT_MS: '5' })).toThrow(ConfigError);
});

it('TRUST_PROXY, PUBLIC_URL and ALLOWED_HOSTS: safe defaults, bad values refused', () => {
	const defaults = loadConfig({});
	expect(defaults.trustProxy).toBeNull();
	expect(defaults.publicUrl).toBeNull();
	expect(defaults.allowedHosts).toEqual([]);
	const behind = loadConfig({ TRUST_PROXY: '1', PUBLIC_URL: 'https://refinery.example/' });
	expect(behind.trustProxy).toEqual({ hops: 1 });
	expect(behind.publicUrl).toBe('https://refinery.example');
	expect(behind.allowedHosts).toEqual(['refinery.example']);
	expect(behind.allowedOrigins).toEqual(['https://refinery.example']);
	expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(ConfigError);
	expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
	expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(ConfigError);
});
