import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Relay metrics on a registry of their own, so several relays can live in one process (tests). */
export class RelayMetrics {
	readonly registry = new Registry();
	readonly connections = new Gauge({ name: 'refinery_connections', help: 'Open relay connections', registers: [this.registry] });
	readonly roomsLoaded = new Gauge({ name: 'refinery_rooms_loaded', help: 'Rooms held in memory', registers: [this.registry] });
	readonly messagesIn = new Counter({ name: 'refinery_messages_in_total', help: 'Frames received', registers: [this.registry] });
	readonly messagesOut = new Counter({ name: 'refinery_messages_out_total', help: 'Frames sent', registers: [this.registry] });
	readonly bytesIn = new Counter({ name: 'refinery_bytes_in_total', help: 'Bytes received in frames', registers: [this.registry] });
	readonly bytesOut = new Counter({ name: 'refinery_bytes_out_total', help: 'Bytes sent in frames', registers: [this.registry] });
	readonly droppedViewerUpdates = new Counter({
		name: 'refinery_viewer_updates_dropped_total',
		help: 'Document updates from view-key connections, dropped',
		registers: [this.registry]
	});
	readonly droppedPresence = new Counter({
		name: 'refinery_presence_dropped_total',
		help: 'Presence states for a client id another connection or relay holds, dropped',
		registers: [this.registry]
	});
	readonly updateApplySeconds = new Histogram({
		name: 'refinery_update_apply_seconds',
		help: 'Time to read and check one incoming update (as bytes)',
		buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
		registers: [this.registry]
	});
	readonly persistenceWriteSeconds = new Histogram({
		name: 'refinery_persistence_write_seconds',
		help: 'Time of one persistence write',
		labelNames: ['op'],
		buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
		registers: [this.registry]
	});
	readonly persistenceErrors = new Counter({ name: 'refinery_persistence_errors_total', help: 'Failed persistence writes', registers: [this.registry] });
	readonly roomCollections = new Counter({
		name: 'refinery_room_collections_total',
		help: 'Garbage collections of rooms, by result: collected, over_budget (left as it is, backing off), dropped (the room changed under it)',
		labelNames: ['result'],
		registers: [this.registry]
	});
	readonly collectedBytes = new Counter({
		name: 'refinery_room_collected_bytes_total',
		help: 'Bytes of deleted or replaced content rooms dropped through garbage collection',
		registers: [this.registry]
	});
	readonly rejectedConnections = new Counter({
		name: 'refinery_rejected_connections_total',
		help: 'Connections refused or closed by the relay, by reason',
		labelNames: ['reason'],
		registers: [this.registry]
	});

	/** Also collect Node process metrics (memory, CPU, event loop lag); main.ts turns this on. */
	collectProcessMetrics(): void {
		collectDefaultMetrics({ register: this.registry });
	}
}
