import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { Reconnector } from './Reconnector';

/** The parts of WebsocketProvider the Reconnector uses, recording what it is asked to do. */
class FakeProvider {
	shouldConnect = false;
	ws: object | null = null;
	connects = 0;
	bcConnects = 0;
	disconnects = 0;
	readonly #listeners = new Map<string, Set<(...args: unknown[]) => void>>();
	on(event: string, fn: (...args: unknown[]) => void) {
		if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
		this.#listeners.get(event)!.add(fn);
	}
	off(event: string, fn: (...args: unknown[]) => void) {
		this.#listeners.get(event)?.delete(fn);
	}
	emit(event: string, ...args: unknown[]) {
		for (const fn of this.#listeners.get(event) ?? []) fn(...args);
	}
	shouldReconnect(event: { code: number }) {
		return !(event.code >= 4400 && event.code < 4500);
	}
	connect() {
		this.shouldConnect = true;
		this.ws = {};
		this.connects++;
	}
	connectBc() {
		this.bcConnects++;
	}
	disconnect() {
		this.shouldConnect = false;
		this.ws = null;
		this.disconnects++;
	}
	/** The socket closed: the provider clears it and emits `connection-close`, as y-websocket does. */
	drop(code: number | null) {
		this.ws = null;
		this.emit('connection-close', code === null ? null : { code });
	}
}

function make(random = () => 0.5) {
	const provider = new FakeProvider();
	const reconnector = new Reconnector(provider as unknown as WebsocketProvider, { random, backoff: { baseMs: 1000, capMs: 8000 } });
	reconnector.start();
	return { provider, reconnector };
}

describe('Reconnector', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	test('connects at start, then retries on the jittered schedule, not the provider’s', () => {
		const { provider } = make(() => 0.5);
		expect(provider.connects).toBe(1);
		provider.drop(1006);
		// The provider's own retry is neutralised: its setupWS does nothing while shouldConnect is false.
		expect(provider.shouldConnect).toBe(false);
		vi.advanceTimersByTime(749);
		expect(provider.connects).toBe(1);
		vi.advanceTimersByTime(1);
		expect(provider.connects).toBe(2);
		provider.drop(1006);
		vi.advanceTimersByTime(1499);
		expect(provider.connects).toBe(2);
		vi.advanceTimersByTime(1);
		expect(provider.connects).toBe(3);
	});

	test('a synced connection resets the schedule', () => {
		const { provider } = make(() => 0);
		for (let i = 0; i < 3; i++) {
			provider.drop(1006);
			vi.runOnlyPendingTimers();
		}
		provider.emit('sync', true);
		provider.drop(1006);
		vi.advanceTimersByTime(500);
		expect(provider.connects).toBe(5);
	});

	test('a final refusal (44xx) and a deliberate disconnect are never retried', () => {
		const refused = make();
		refused.provider.drop(4403);
		refused.provider.emit('closed', { code: 4403 });
		vi.advanceTimersByTime(60_000);
		expect(refused.provider.connects).toBe(1);

		const left = make();
		left.provider.disconnect();
		left.provider.drop(null);
		vi.advanceTimersByTime(60_000);
		expect(left.provider.connects).toBe(1);
	});

	test('destroyed, a pending retry does not fire', () => {
		const { provider, reconnector } = make();
		provider.drop(1006);
		reconnector.destroy();
		vi.advanceTimersByTime(60_000);
		expect(provider.connects).toBe(1);
	});
});
