/**
 * The write guard rebuilds its copy of a doc in turns, from the stored log (write-guard.ts
 * `rebuild`): meanwhile every update is `busy`; a rebuild whose log cannot be read leaves the
 * guard busy and wanting another; a rebuild overtaken by a later one stops, and the later one
 * makes the guard ready.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { GC_PREFIX } from '../../harness/broken-updates.ts';
import { checkUpdate } from '../../sync-server/sync/messages.ts';
import { WriteGuard } from '../../sync-server/sync/write-guard.ts';

const CAPS = { maxDocBytes: 8 << 20, maxDocStructs: 100_000 };
const check = (u: Uint8Array) => checkUpdate(u, 20_000, true);
const inTurn = <T>(job: () => T) => Promise.resolve(job());

/** A live doc that GC_PREFIX.update breaks on, its guard, and an honest next edit. */
async function broken() {
  const live = new Y.Doc();
  Y.applyUpdate(live, GC_PREFIX.doc);
  const guard = new WriteGuard(live, CAPS);
  await guard.load([GC_PREFIX.doc], inTurn);
  expect(guard.admit(GC_PREFIX.update, check(GC_PREFIX.update)).verdict).toBe('refused');
  const device = new Y.Doc();
  Y.applyUpdate(device, GC_PREFIX.doc);
  const sv = Y.encodeStateVector(device);
  device.getMap('plan').set('walk', 'every morning');
  const honest = Y.encodeStateAsUpdate(device, sv);
  return { live, guard, honest, log: async () => [GC_PREFIX.doc] };
}

describe("the write guard's rebuild", () => {
  it('leaves the guard busy and wanting another rebuild when the log cannot be read', async () => {
    const { guard, honest, log } = await broken();
    expect(guard.needsRebuild).toBe(true);
    await expect(guard.rebuild(inTurn, () => Promise.reject(new Error('disk')))).rejects.toThrow('disk');
    expect(guard.admit(honest, check(honest)).verdict).toBe('busy');
    expect(guard.needsRebuild).toBe(true);
    expect(await guard.rebuild(inTurn, log)).toBe(true);
    expect(guard.admit(honest, check(honest)).verdict).toBe('accepted');
  });

  it('stops a rebuild a later one overtook; the later one makes the guard ready', async () => {
    const { guard, honest, log } = await broken();
    let release!: () => void;
    const slowLog = () => new Promise<Uint8Array[]>((r) => (release = () => r([GC_PREFIX.doc])));
    const first = guard.rebuild(inTurn, slowLog);
    const second = guard.rebuild(inTurn, log);
    expect(await second).toBe(true);
    release();
    expect(await first).toBe(false);
    expect(guard.admit(honest, check(honest)).verdict).toBe('accepted');
  });

  it('takes in what was accepted but not yet applied to the live doc', async () => {
    const live = new Y.Doc();
    const guard = new WriteGuard(live, CAPS);
    const device = new Y.Doc();
    device.getMap('plan').set('first', 1);
    const first = Y.encodeStateAsUpdate(device);
    const accepted = guard.admit(first, check(first));
    expect(accepted.verdict).toBe('accepted');
    // Not stored yet (the log is empty) and not applied to the live doc; then a store fails
    // for another update and the copy is rebuilt.
    const sv = Y.encodeStateVector(device);
    device.getMap('plan').set('second', 2);
    const second = Y.encodeStateAsUpdate(device, sv);
    const admission = guard.admit(second, check(second));
    expect(admission.verdict).toBe('accepted');
    if (admission.verdict !== 'accepted') return;
    guard.dropped(admission.update);
    expect(await guard.rebuild(inTurn, async () => [])).toBe(true);
    // The first is in the copy: sending it again changes nothing; the second is not.
    expect(guard.admit(first, check(first)).verdict).toBe('held');
    expect(guard.admit(second, check(second)).verdict).toBe('accepted');
  });
});
