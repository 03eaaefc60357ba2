/**
 * The few host globals core/ relies on. core/ compiles with `lib: ["ES2022"]` and no DOM or
 * Node types, so these are declared here in their smallest form. Node 20 and every browser
 * provide them.
 */
declare global {
  // eslint-disable-next-line no-var
  var crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
}
export {};
