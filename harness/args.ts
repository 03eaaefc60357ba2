/** What the harness's command lines share on top of `node:util` `parseArgs`. */

/**
 * A `parseArgs` value as a whole number of at least 0, or `fallback` when the flag was not
 * given. Throws, naming the flag, for anything else.
 */
export function wholeNumber(value: string | boolean | undefined, flag: string): number | undefined;
export function wholeNumber(value: string | boolean | undefined, flag: string, fallback: number): number;
export function wholeNumber(value: string | boolean | undefined, flag: string, fallback?: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 0)
    throw new Error(`--${flag} needs a whole number`);
  return n;
}
