/** The strings in use; one language for now, a translator adds a file beside en.ts. */
export { en as text } from './en';
