/**
 * WebSocket close codes the relay uses (documented in docs/RELAY.md).
 * y-websocket treats 4400–4499 as final (it stops reconnecting) and every other code as
 * transient. 4429 is final on purpose: a client over the per-address limits should stop
 * hammering; 4503 (server full) and 1011 are transient so stock clients retry with backoff.
 */
export const CloseCode = {
	/** Server shutting down; clients reconnect. */
	goingAway: 1001,
	/** A frame over the frame-size limit (sent by `ws` itself through maxPayload). */
	frameTooLarge: 1009,
	/** The relay could not store an update; the client reconnects and sends it again. */
	internalError: 1011,
	malformedMessage: 4400,
	missingKey: 4401,
	forbidden: 4403,
	unknownRoom: 4404,
	originNotAllowed: 4408,
	/** The room was deleted; its id can never be claimed again. */
	roomDeleted: 4410,
	documentTooLarge: 4413,
	/** An update or presence state over a budget (structs, client ids, nesting, size, updates waiting for dependencies). */
	overBudget: 4422,
	/** Too many connections or attempts from the address, or its rooms or bytes per hour are used up. */
	tooManyConnections: 4429,
	/** Server full: rooms in memory, or the memory budget for rooms; retried. */
	serverFull: 4503,
	/** The relay's disk budget is used up; retried (the client keeps its changes). */
	storageFull: 4507,
	/** The peer let too much pile up unread; it is dropped and may reconnect. */
	tooSlow: 4508
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
