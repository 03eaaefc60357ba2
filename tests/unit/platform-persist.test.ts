/**
 * hooks/platform.ts stores a doc in y-indexeddb but listens for its updates only after the
 * load. Nothing a user types may be lost by that: not before, not during, not after the load.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { persist } from '../../hooks/platform.ts';
import { localDbName, readServicePlan, setRichTextPlain } from '../../core/model/index.ts';
import { PlanSession, RegistrySession, createPlan } from '../../core/sync/index.ts';
import { nodePlatform, storedUpdates } from '../../harness/node-platform.ts';

let n = 0;
const freshName = () => `platform-persist-${++n}`;

/** Opens the stored doc in a new Y.Doc, as the next page open does, and returns its text. */
async function reopen(name: string): Promise<string> {
  const doc = new Y.Doc();
  const p = persist(name, doc);
  await p.whenSynced;
  const text = doc.getText('t').toString();
  await p.destroy();
  doc.destroy();
  return text;
}

describe('browser persistence', () => {
  it('stores every edit made after the load, and the next open has them', async () => {
    const name = freshName();
    const doc = new Y.Doc();
    const p = persist(name, doc);
    await p.whenSynced;
    doc.getText('t').insert(0, 'first');
    doc.getText('t').insert(5, ' second');
    await new Promise((r) => setTimeout(r, 50));
    await p.destroy();
    expect(await reopen(name)).toBe('first second');
  });

  it('keeps an edit made while the stored doc was loading', async () => {
    const name = freshName();
    const first = new Y.Doc();
    const p1 = persist(name, first);
    await p1.whenSynced;
    first.getText('t').insert(0, 'stored');
    await new Promise((r) => setTimeout(r, 50));
    await p1.destroy();

    const doc = new Y.Doc();
    const p = persist(name, doc);
    // Before the stored state has arrived (y-indexeddb itself stores that one), and right after
    // it was applied, before the load has finished: y-indexeddb is not listening yet.
    doc.getText('t').insert(0, 'before ');
    let typed = false;
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (typed || transaction.origin !== p) return;
      typed = true;
      queueMicrotask(() => doc.getText('t').insert(0, 'during '));
    });
    await p.whenSynced;
    expect(typed).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    await p.destroy();
    const text = await reopen(name);
    expect(text).toContain('before ');
    expect(text).toContain('during ');
    expect(text).toContain('stored');
  });

  it('does not store another copy of the plan each time a page opens beside an open one', async () => {
    const platform = nodePlatform('platform-persist-pages:');
    const registry = new RegistrySession(platform);
    await registry.ready;
    const app = await createPlan(platform, registry.doc, 'Kari');
    setRichTextPlain(readServicePlan(app.docs.plan).sections[0]!.body!, 'x'.repeat(20_000));
    await new Promise((r) => setTimeout(r, 100));
    const db = localDbName(app.planId, 'plan');
    const before = (await storedUpdates(`platform-persist-pages:${db}`)).bytes;
    // The popup opened and closed five times while the app page stays open.
    for (let i = 0; i < 5; i++) {
      const popup = new PlanSession(app.planId, platform);
      await popup.ready;
      await new Promise((r) => setTimeout(r, 50));
      expect(readServicePlan(popup.docs.plan).sections[0]!.body!.toString()).toContain('xxxx');
      await popup.destroy();
    }
    const after = (await storedUpdates(`platform-persist-pages:${db}`)).bytes;
    expect(before).toBeGreaterThan(20_000);
    // A few bytes per open (y-indexeddb records the empty doc it started from), never a copy.
    expect(after - before).toBeLessThan(100);
    await app.destroy();
    await registry.destroy();
  });
});
