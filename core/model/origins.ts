/**
 * Every `doc.transact` and `Y.applyUpdate` of the client names its origin from here (STYLE.md
 * "Typed origins"); a string literal in their place is a lint error (eslint.config.js).
 * Persistence and network layers filter on it: the broadcast link does not echo what it
 * applied itself. The network and IndexedDB layers use their provider objects as origins
 * (y-websocket, y-indexeddb), and filter on those.
 */
export const ORIGIN = {
  /** A person's edit on this page, through a command. */
  local: 'local',
  /** An update another open page of this device sent (BroadcastLink). */
  broadcast: 'broadcast',
  /** The schema stamp on a new plan (`migrate`). */
  migration: 'migration',
  /** A plan file merged in (`mergeImport`). */
  import: 'import',
} as const;
export type TransactionOrigin = (typeof ORIGIN)[keyof typeof ORIGIN];
