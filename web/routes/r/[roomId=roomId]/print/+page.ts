/** The printable view reads the room in the browser, as the room page does: its key is in the fragment. */
export const ssr = false;
