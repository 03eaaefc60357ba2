import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/**
 * Items in a collection carry a fractional-index `order` string (DESIGN.md: never a Y.Array
 * for reorderable items, so concurrent moves cannot duplicate). Two replicas that insert at
 * the same place at once may pick the same key; ties sort by id so every replica agrees.
 */
export interface Ordered {
  readonly id: string;
  readonly order: string;
}

/**
 * Sort comparator for ordered items: by `order` key, then by id to break ties the same way on every replica.
 */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order < b.order) return -1;
  if (a.order > b.order) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * How many candidate keys a new position chooses from at random. Two devices inserting at the
 * same spot offline then collide with probability 1/8 instead of always; ties are still safe.
 */
const SPREAD = 8;

function isValidKey(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

function pick<T>(items: readonly T[]): T {
  const random = crypto.getRandomValues(new Uint8Array(1))[0]!;
  return items[random % items.length]!;
}

/** A key strictly between `lower` and `upper` (either may be null for an open end). */
export function keyBetween(lower: string | null, upper: string | null): string {
  return pick(generateNKeysBetween(lower, upper, SPREAD));
}

/**
 * The key for a new item after every sibling with a valid key (an invalid key, from a
 * foreign client, already sorts last and is left there).
 */
export function keyAtEnd(siblings: readonly Ordered[]): string {
  const valid = siblings.map((s) => s.order).filter(isValidKey);
  const last = valid.reduce<string | null>((max, key) => (max === null || key > max ? key : max), null);
  return keyBetween(last, null);
}

/**
 * New order keys that move `id` to `toIndex` among `siblings` (indexes as seen without the
 * moved item). Returns the keys to write: normally one, for the moved item; when neighbours
 * hold equal or invalid keys (a concurrent insert, a foreign client) it re-keys the whole list
 * in the wanted order, which converges like any other last-writer-wins field.
 */
export function planMove(siblings: readonly Ordered[], id: string, toIndex: number): Map<string, string> {
  const others = [...siblings].filter((s) => s.id !== id).sort(compareOrdered);
  const index = Math.max(0, Math.min(toIndex, others.length));
  const lower = others[index - 1]?.order ?? null;
  const upper = others[index]?.order ?? null;
  const sane =
    (lower === null || isValidKey(lower)) &&
    (upper === null || isValidKey(upper)) &&
    (lower === null || upper === null || lower < upper);
  if (sane) return new Map([[id, keyBetween(lower, upper)]]);
  const wanted = [...others.slice(0, index).map((s) => s.id), id, ...others.slice(index).map((s) => s.id)];
  const keys = generateNKeysBetween(null, null, wanted.length);
  return new Map(wanted.map((itemId, i) => [itemId, keys[i]!]));
}
