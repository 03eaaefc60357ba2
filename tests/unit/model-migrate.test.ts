/** The one migration entry point (core/model/migrate.ts). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SCHEMA_VERSION, addGoal, migrate, readGoalBoard } from '../../core/model/index.ts';

const version = (doc: Y.Doc) => doc.getMap('meta').get('schemaVersion');

describe('migrate', () => {
  it('stamps the current version on a doc that has none, as a "migration" transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(migrate(doc)).toEqual({ status: 'migrated', from: null });
    expect(version(doc)).toBe(SCHEMA_VERSION);
    expect(origins).toEqual(['migration']);
  });

  it('leaves a current doc alone and says so', () => {
    const doc = new Y.Doc();
    migrate(doc);
    const before = Y.encodeStateVector(doc);
    expect(migrate(doc)).toEqual({ status: 'current' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('reports a doc from a newer Varde and does not touch it', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    addGoal(doc, { title: 'Written by the future' });
    const before = Y.encodeStateAsUpdate(doc);
    expect(migrate(doc)).toEqual({ status: 'newer', version: SCHEMA_VERSION + 1 });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(version(doc)).toBe(SCHEMA_VERSION + 1);
  });

  it.each([
    ['a string', '1'],
    ['zero', 0],
    ['a negative number', -3],
    ['a fraction', 1.5],
    ['an object', { v: 1 }],
  ])('treats %s as no version, stamps the current one and keeps the content', (_what, value) => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', value);
    addGoal(doc, { title: 'Walk' });
    expect(migrate(doc)).toEqual({ status: 'migrated', from: null });
    expect(version(doc)).toBe(SCHEMA_VERSION);
    expect(readGoalBoard(doc).goals.map((g) => g.title)).toEqual(['Walk']);
  });

  it('converges when two replicas stamp the version at once', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    migrate(a);
    migrate(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect([version(a), version(b), migrate(a).status]).toEqual([SCHEMA_VERSION, SCHEMA_VERSION, 'current']);
  });
});
