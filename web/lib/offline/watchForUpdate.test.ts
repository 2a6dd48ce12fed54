import { describe, expect, test } from 'vitest';
import { SKIP_WAITING } from './swRoutes';
import { activateUpdate, watchForUpdate, type WorkerLike } from './watchForUpdate';

class FakeWorker extends EventTarget implements WorkerLike {
	state = 'installing';
	messages: unknown[] = [];
	postMessage(message: unknown) {
		this.messages.push(message);
	}
	become(state: string) {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}

class FakeRegistration extends EventTarget {
	waiting: FakeWorker | null = null;
	installing: FakeWorker | null = null;
	updates = 0;
	async update() {
		this.updates++;
	}
}

function container(controller: unknown, registration: FakeRegistration) {
	return Object.assign(new EventTarget(), { controller, ready: Promise.resolve(registration) });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchForUpdate', () => {
	test('a worker already waiting at load is offered', async () => {
		const registration = new FakeRegistration();
		registration.waiting = Object.assign(new FakeWorker(), { state: 'installed' });
		const offered: WorkerLike[] = [];
		watchForUpdate(container({}, registration), (worker) => offered.push(worker), null);
		await tick();
		expect(offered).toEqual([registration.waiting]);
	});

	test('a worker that finishes installing while the page is open is offered', async () => {
		const registration = new FakeRegistration();
		const offered: WorkerLike[] = [];
		watchForUpdate(container({}, registration), (worker) => offered.push(worker), null);
		await tick();
		const worker = new FakeWorker();
		registration.installing = worker;
		registration.dispatchEvent(new Event('updatefound'));
		expect(offered).toEqual([]);
		worker.become('installed');
		expect(offered).toEqual([worker]);
	});

	test('the first worker of a first visit is not an update', async () => {
		const registration = new FakeRegistration();
		const offered: WorkerLike[] = [];
		watchForUpdate(container(null, registration), (worker) => offered.push(worker), null);
		await tick();
		const worker = new FakeWorker();
		registration.installing = worker;
		registration.dispatchEvent(new Event('updatefound'));
		worker.become('installed');
		expect(offered).toEqual([]);
	});

	test('coming back online checks for an update; stopping stops it', async () => {
		const registration = new FakeRegistration();
		const window = new EventTarget();
		const stop = watchForUpdate(container({}, registration), () => {}, window);
		await tick();
		window.dispatchEvent(new Event('online'));
		expect(registration.updates).toBe(1);
		stop();
		window.dispatchEvent(new Event('online'));
		expect(registration.updates).toBe(1);
	});

	test('activating tells the waiting worker to take over and reloads when it controls the page', () => {
		const workers = new EventTarget();
		const worker = new FakeWorker();
		let reloads = 0;
		activateUpdate(Object.assign(workers, { controller: {}, ready: new Promise<never>(() => {}) }), worker, () => reloads++);
		expect(worker.messages).toEqual([SKIP_WAITING]);
		expect(reloads).toBe(0);
		workers.dispatchEvent(new Event('controllerchange'));
		expect(reloads).toBe(1);
	});
});
