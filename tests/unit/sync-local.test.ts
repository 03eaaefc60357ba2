/**
 * core/sync's LocalDoc, through which every doc is opened (a plan's four, the popup's, the
 * registry): loaded from this device first, linked to the other pages only once loaded, and
 * a clear error state when it cannot load or is closed first.
 */
import { describe, expect, it } from 'vitest';
import { LocalDoc, PlanSession, type ChannelLike, type Platform } from '../../core/sync/index.ts';
import { nodePlatform } from '../../harness/node-platform.ts';

let n = 0;
/** A platform of its own per test that also counts the channels it opened. */
function platformFor() {
  const platform = nodePlatform(`sync-local-${++n}:`);
  const channels: string[] = [];
  const counting: Platform = {
    persist: platform.persist,
    channel: (name) => {
      channels.push(name);
      return platform.channel(name);
    },
  };
  return { platform: counting, channels };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('a doc opened from this device', () => {
  it('loads what the device holds, then follows another page live', async () => {
    const { platform, channels } = platformFor();
    const first = new LocalDoc('local-doc', 'local-doc', platform);
    expect(await first.ready).toEqual({ status: 'ready' });
    first.doc.getMap('m').set('stored', 1);
    await settle();
    const second = new LocalDoc('local-doc', 'local-doc', platform);
    expect(channels).toEqual(['local-doc']);
    expect(await second.ready).toEqual({ status: 'ready' });
    expect(second.doc.getMap('m').get('stored')).toBe(1);
    first.doc.getMap('m').set('live', 2);
    await settle();
    expect(second.doc.getMap('m').get('live')).toBe(2);
    await first.destroy();
    await second.destroy();
  });

  it('closed while loading, settles with an error and opens no channel', async () => {
    const { platform, channels } = platformFor();
    const doc = new LocalDoc('local-closed', 'local-closed', platform);
    await doc.destroy();
    expect(await doc.ready).toMatchObject({ status: 'error' });
    await settle();
    expect(channels).toEqual([]);
  });

  it('that local storage cannot open settles with an error, and so does its plan session', async () => {
    const broken: Platform = {
      persist: () => ({
        whenSynced: Promise.reject(new Error('no IndexedDB')),
        destroy: () => {},
        clearData: () => Promise.resolve(),
      }),
      channel: () => null as ChannelLike | null,
    };
    const doc = new LocalDoc('local-broken', 'local-broken', broken);
    expect(await doc.ready).toEqual({ status: 'error', error: new Error('no IndexedDB') });
    await doc.destroy();
    const session = new PlanSession('local-broken-plan-000000', broken);
    expect(await session.ready).toMatchObject({ status: 'error' });
    await session.destroy();
  });

  it('a plan session closed while loading settles with an error instead of never', async () => {
    const { platform } = platformFor();
    const session = new PlanSession('local-closed-plan-0000000', platform);
    await session.destroy();
    expect(await session.ready).toMatchObject({ status: 'error' });
  });
});
