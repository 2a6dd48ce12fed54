/** The room lives in the browser: its key is in the fragment, which never reaches a server. */
export const ssr = false;
