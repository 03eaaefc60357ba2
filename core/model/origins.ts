/**
 * Every `doc.transact` names its origin (STYLE.md "Typed origins"). Persistence and network
 * layers filter on it: e.g. the broadcast link does not echo what it applied itself.
 */
export const ORIGINS = ['local', 'remote', 'indexeddb', 'broadcast', 'migration', 'import'] as const;
export type TransactionOrigin = (typeof ORIGINS)[number];
