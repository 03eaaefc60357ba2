/**
 * The few host globals core/ relies on. core/ compiles with `lib: ["ES2022"]` and no DOM or
 * Node types, so these are declared here in their smallest form. Node 20 and every browser
 * provide them.
 */
declare global {
  var crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
  // Timers for the sync connection's token refresh and retries (core/sync/remote.ts).
  function setTimeout(handler: () => void, ms?: number): unknown;
  function clearTimeout(id: unknown): void;
}
export {};
