/**
 * The app renders in the browser only: everything it shows comes from this device (identity,
 * recent rooms, the room's IndexedDB copy) or from the relay, so server rendering would only
 * produce an empty shell (and the room route must never see a key on the server anyway).
 */
export const ssr = false;
