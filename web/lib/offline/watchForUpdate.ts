import { SKIP_WAITING } from './swRoutes';

/** The parts of `navigator.serviceWorker` used here (a fake in tests). */
export interface WorkerContainer extends EventTarget {
	readonly controller: unknown;
	readonly ready: Promise<WorkerRegistrationLike>;
}

export interface WorkerRegistrationLike extends EventTarget {
	readonly waiting: WorkerLike | null;
	readonly installing: WorkerLike | null;
	update(): Promise<unknown>;
}

export interface WorkerLike extends EventTarget {
	readonly state: string;
	postMessage(message: unknown): void;
}

/**
 * Call `onWaiting` when a new service worker has installed and waits to take over from the one
 * controlling this page (a new version of the app was deployed). Not on the first visit: with no
 * controller yet, the first worker simply starts. Also asks for an update check when the network
 * comes back. Returns a function that stops watching.
 */
export function watchForUpdate(container: WorkerContainer, onWaiting: (worker: WorkerLike) => void, target: EventTarget | null = globalThis.window ?? null): () => void {
	let stopped = false;
	const stops: (() => void)[] = [];
	void container.ready.then((registration) => {
		if (stopped) return;
		const offer = (worker: WorkerLike | null) => {
			if (!stopped && worker && worker.state === 'installed' && container.controller) onWaiting(worker);
		};
		offer(registration.waiting);
		const onFound = () => {
			const worker = registration.installing;
			if (!worker) return;
			const onState = () => offer(worker);
			worker.addEventListener('statechange', onState);
			stops.push(() => worker.removeEventListener('statechange', onState));
		};
		registration.addEventListener('updatefound', onFound);
		stops.push(() => registration.removeEventListener('updatefound', onFound));
		if (target) {
			const check = () => void registration.update().catch(() => {});
			target.addEventListener('online', check);
			stops.push(() => target.removeEventListener('online', check));
		}
	});
	return () => {
		stopped = true;
		for (const stop of stops.splice(0)) stop();
	};
}

/** Let the waiting worker take over, and reload once it controls the page. */
export function activateUpdate(container: WorkerContainer, worker: WorkerLike, reload: () => void = () => location.reload()): void {
	container.addEventListener('controllerchange', () => reload(), { once: true });
	worker.postMessage(SKIP_WAITING);
}
