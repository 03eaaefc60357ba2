import * as Y from 'yjs';
import { MAX_SHORT_TEXT, isDate, isOneOf, isTimestamp } from './schema.ts';
import { isId } from './ids.ts';
import type { Problem } from './types.ts';

/**
 * Reads one entry of a shared map defensively. Another client may be buggy or hostile, so
 * every field is checked; a bad optional field is repaired to its default and reported, a bad
 * required one makes the caller skip the item (DESIGN.md "Readers validate everything").
 */
export class FieldReader {
  constructor(
    private readonly map: Y.Map<unknown>,
    readonly path: string,
    private readonly problems: Problem[],
  ) {}

  report(reason: string, field?: string): void {
    this.problems.push({ path: field ? `${this.path}/${field}` : this.path, reason });
  }

  /** A short text; a missing one is `''`, a non-string is reported, an over-long one is cut. */
  text(field: string): string {
    const value = this.map.get(field);
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      this.report('not a string', field);
      return '';
    }
    if (value.length > MAX_SHORT_TEXT) {
      this.report('too long, shortened', field);
      return value.slice(0, MAX_SHORT_TEXT);
    }
    return value;
  }

  /** Like `text`, but absence or a wrong type returns null (the caller skips the item). */
  requiredText(field: string): string | null {
    const value = this.map.get(field);
    if (typeof value !== 'string') {
      this.report(value === undefined ? 'missing' : 'not a string', field);
      return null;
    }
    return this.text(field);
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback: T): T {
    const value = this.map.get(field);
    if (isOneOf(values, value)) return value;
    if (value !== undefined) this.report('unknown value', field);
    return fallback;
  }

  date(field: string): string | undefined {
    const value = this.map.get(field);
    if (value === undefined || value === null || value === '') return undefined;
    if (isDate(value)) return value;
    this.report('not a YYYY-MM-DD date', field);
    return undefined;
  }

  timestamp(field: string): string {
    const value = this.map.get(field);
    if (isTimestamp(value)) return value;
    if (value !== undefined) this.report('not an ISO-8601 time', field);
    return '';
  }

  boolean(field: string): boolean {
    const value = this.map.get(field);
    if (typeof value === 'boolean') return value;
    if (value !== undefined) this.report('not a boolean', field);
    return false;
  }

  richText(field: string): Y.XmlFragment | null {
    const value = this.map.get(field);
    if (value instanceof Y.XmlFragment) return value;
    if (value !== undefined) this.report('not rich text', field);
    return null;
  }

  /** A nested collection, or an empty one if absent or of the wrong type. */
  collection(field: string): Y.Map<unknown> | null {
    const value = this.map.get(field);
    if (value instanceof Y.Map) return value;
    if (value !== undefined) this.report('not a collection', field);
    return null;
  }

  get(field: string): unknown {
    return this.map.get(field);
  }
}

/**
 * Iterates a `Y.Map<id, Y.Map>` collection, yielding a FieldReader for each well-formed
 * entry and reporting (then skipping) entries with a bad id or a non-map value.
 */
export function* entries(
  collection: Y.Map<unknown> | null,
  path: string,
  problems: Problem[],
): Generator<[string, FieldReader, Y.Map<unknown>]> {
  if (!collection) return;
  for (const [id, value] of collection.entries()) {
    const itemPath = `${path}/${isId(id) ? id : '?'}`;
    if (!isId(id)) {
      problems.push({ path: itemPath, reason: 'malformed id' });
      continue;
    }
    if (!(value instanceof Y.Map)) {
      problems.push({ path: itemPath, reason: 'not a map' });
      continue;
    }
    yield [id, new FieldReader(value as Y.Map<unknown>, itemPath, problems), value as Y.Map<unknown>];
  }
}

/** The `order` key of an item: a malformed one sorts last rather than hiding the item. */
export function orderOf(reader: FieldReader): string {
  const value = reader.get('order');
  if (typeof value === 'string' && value.length > 0 && value.length <= 200) return value;
  reader.report('missing or malformed order', 'order');
  return '\uffff';
}
