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
