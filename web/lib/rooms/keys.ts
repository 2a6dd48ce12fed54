/**
 * The key functions the relay checks with (server/access/keys.ts is pure Web Crypto and meant to
 * be shared); re-exported here so the web app has one import path for them.
 */
export { deriveViewKey, keyKind, type Access } from '../../../server/access/keys';
