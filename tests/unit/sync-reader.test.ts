/**
 * core/sync's PlanReader opens only the docs a page asks for (the popup: `plan`, then `goals`),
 * each on its own, writes nothing to them, and follows the other pages' edits live.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addContact,
  localDbName,
  metaRoot,
  readServicePlan,
  schemaVersionOf,
  type DocName,
} from '../../core/model/index.ts';
import {
  PlanReader,
  PlanSession,
  RegistrySession,
  createPlan,
  type Platform,
} from '../../core/sync/index.ts';
import { nodePlatform, storedUpdates } from '../../harness/node-platform.ts';

let n = 0;
/** A platform of its own per test, which also lists the databases it was asked to open. */
function platformFor() {
  const scope = `sync-reader-${++n}:`;
  const platform = nodePlatform(scope);
  const persisted: string[] = [];
  const counting: Platform = {
    persist: (name, doc) => {
      persisted.push(name);
      return platform.persist(name, doc);
    },
    channel: platform.channel,
  };
  return { scope, platform, counting, persisted };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

/**
 * The origins of every transaction that changed `doc` other than its load from the device
 * (y-indexeddb names itself, an object, as the origin) and edits from other pages.
 */
function ownChanges(doc: Y.Doc): unknown[] {
  const origins: unknown[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    const changed = transaction.changed.size > 0 || transaction.deleteSet.clients.size > 0;
    const { origin } = transaction;
    if (changed && origin !== 'broadcast' && (typeof origin !== 'object' || origin === null))
      origins.push(origin);
  });
  return origins;
}

describe('reading some docs of a plan', () => {
  it('opens only the docs asked for, each ready on its own, with what the device holds', async () => {
    const { platform, counting, persisted } = platformFor();
    const registry = new RegistrySession(platform);
    await registry.ready;
    const app = await createPlan(platform, registry.doc, 'Kari');
    addContact(app.docs.plan, { name: 'Bo Berg', phone: '+47 22 33 44 55' });
    await settle();

    const reader = new PlanReader(app.planId, counting);
    const plan = reader.open('plan');
    expect(reader.open('plan')).toBe(plan);
    expect(await plan.ready).toEqual({ status: 'ready', newerSchema: false });
    expect(readServicePlan(plan.doc).contacts.map((c) => c.name)).toEqual(['Bo Berg']);
    expect(persisted).toEqual([localDbName(app.planId, 'plan')]);

    const goals = reader.open('goals');
    expect(await goals.ready).toEqual({ status: 'ready', newerSchema: false });
    const notes: DocName[] = ['goals-notes', 'plan-notes'];
    expect(persisted.some((name) => notes.some((doc) => name === localDbName(app.planId, doc)))).toBe(false);

    await reader.destroy();
    await app.destroy();
    await registry.destroy();
  });

  it('writes nothing: an unstamped doc stays unstamped and the stored doc does not grow', async () => {
    const { scope, platform } = platformFor();
    // A plan another client wrote without a schema stamp (a member's replica may be like that).
    const writer = new PlanSession('reader-unstamped-plan-0000', platform);
    await writer.ready;
    addContact(writer.docs.plan, { name: 'Bo Berg', phone: '12345678' });
    await settle();
    await writer.destroy();
    const db = `${scope}${localDbName('reader-unstamped-plan-0000', 'plan')}`;
    const before = await storedUpdates(db);

    for (let i = 0; i < 3; i++) {
      const reader = new PlanReader('reader-unstamped-plan-0000', platform);
      const { doc, ready } = reader.open('plan');
      const changes = ownChanges(doc);
      await ready;
      await settle();
      expect(changes).toEqual([]);
      expect(schemaVersionOf(doc)).toBeNull();
      expect(readServicePlan(doc).contacts).toHaveLength(1);
      await reader.destroy();
    }
    const after = await storedUpdates(db);
    // y-indexeddb records the (empty) state each open started from: a few bytes, never content.
    expect(after.bytes - before.bytes).toBeLessThan(20);
  });

  it('follows edits made in another open page, live', async () => {
    const { platform } = platformFor();
    const registry = new RegistrySession(platform);
    await registry.ready;
    const app = await createPlan(platform, registry.doc, 'Kari');
    await settle();
    const reader = new PlanReader(app.planId, platform);
    const plan = reader.open('plan');
    await plan.ready;
    expect(readServicePlan(plan.doc).contacts).toEqual([]);

    addContact(app.docs.plan, { name: 'Crisis line', phone: '116 123' });
    await expect.poll(() => readServicePlan(plan.doc).contacts.map((c) => c.name)).toEqual(['Crisis line']);

    await reader.destroy();
    await app.destroy();
    await registry.destroy();
  });

  it('reports a doc written by a newer Varde and leaves it as it is', async () => {
    const { platform } = platformFor();
    const writer = new PlanSession('reader-newer-plan-00000000', platform);
    await writer.ready;
    writer.docs.plan.transact(() => metaRoot(writer.docs.plan).set('schemaVersion', 99), 'local');
    await settle();
    await writer.destroy();

    const reader = new PlanReader('reader-newer-plan-00000000', platform);
    const plan = reader.open('plan');
    expect(await plan.ready).toEqual({ status: 'ready', newerSchema: true });
    expect(schemaVersionOf(plan.doc)).toBe(99);
    await reader.destroy();
  });

  it('closed while loading, says so instead of linking a destroyed doc', async () => {
    const { platform } = platformFor();
    const reader = new PlanReader('reader-closed-plan-000000', platform);
    const plan = reader.open('plan');
    await reader.destroy();
    expect(await plan.ready).toMatchObject({ status: 'error' });
    expect(() => reader.open('goals')).toThrow();
  });
});
