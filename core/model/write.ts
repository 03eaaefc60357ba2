import * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { MAX_SHORT_TEXT, isDate } from './schema.ts';
import type { Ordered } from './order.ts';
import { ORIGIN, type TransactionOrigin } from './origins.ts';

/** Runs a command's changes as one transaction with a typed origin. */
export function change<T>(doc: Y.Doc, fn: () => T, origin: TransactionOrigin = ORIGIN.local): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, origin);
  return result;
}

/** The nested map at `path` inside `root` (e.g. goal → subgoals → step), or a CommandError. */
export function itemAt(root: Y.Map<unknown>, path: readonly (string | [string, string])[]): Y.Map<unknown> {
  let current: Y.Map<unknown> = root;
  for (const segment of path) {
    const [collection, id] = typeof segment === 'string' ? [null, segment] : segment;
    const container = collection === null ? current : current.get(collection);
    const next = container instanceof Y.Map ? container.get(id) : undefined;
    if (!(next instanceof Y.Map)) throw new CommandError('notFound', 'no such item');
    current = next as Y.Map<unknown>;
  }
  return current;
}

/** The named child collection of an item, created when a foreign client left it out. */
export function childCollection(item: Y.Map<unknown>, name: string): Y.Map<unknown> {
  const existing = item.get(name);
  if (existing instanceof Y.Map) return existing as Y.Map<unknown>;
  const created = new Y.Map<unknown>();
  item.set(name, created);
  return created;
}

/** Ordered siblings of a collection as order keys, for placing or moving an item. */
export function siblingsOf(
  collection: Y.Map<unknown>,
  filter?: (item: Y.Map<unknown>) => boolean,
): Ordered[] {
  const out: Ordered[] = [];
  for (const [id, value] of collection.entries()) {
    if (!(value instanceof Y.Map)) continue;
    if (filter && !filter(value as Y.Map<unknown>)) continue;
    const order = value.get('order');
    out.push({ id, order: typeof order === 'string' ? order : '\uffff' });
  }
  return out;
}

/** A short text field as typed: one line, trimmed at the ends, bounded. */
export function cleanText(value: string, { required = false } = {}): string {
  const text = value.replace(/[\r\n]+/g, ' ').trim();
  if (required && text.length === 0) throw new CommandError('invalidInput', 'text is empty');
  if (text.length > MAX_SHORT_TEXT) throw new CommandError('invalidInput', 'text is too long');
  return text;
}

/**
 * Field writes a command has fully validated: `null` deletes the field. Commands validate
 * every input into Writes before the first change, because Yjs keeps whatever a transaction
 * wrote before a throw: a refused command must leave no half-made item behind.
 */
export type Writes = [field: string, value: unknown][];

/** Writes validated fields onto an item: `null` deletes the field, any other value sets it. */
export function applyWrites(item: Y.Map<unknown>, writes: Writes): void {
  for (const [field, value] of writes) {
    if (value === null) item.delete(field);
    else item.set(field, value);
  }
}

/** Validates an optional `YYYY-MM-DD` patch value: `null` or `''` clears the field. */
export function dateWrite(writes: Writes, field: string, value: string | null | undefined): void {
  if (value === undefined) return;
  if (value === null || value === '') {
    writes.push([field, null]);
    return;
  }
  if (!isDate(value)) throw new CommandError('invalidInput', 'not a YYYY-MM-DD date');
  writes.push([field, value]);
}

/** The current time as an ISO-8601 timestamp, as stored in `createdAt` and comment `at` fields. */
export function nowIso(): string {
  return new Date().toISOString();
}
