// @vitest-environment node
/**
 * The doc size cap (docs/protocol.md "Limits"): an update that would grow a doc past
 * `maxDocBytes` is refused with permission-denied `docTooLarge`; nothing of it is stored, the
 * connection stays open, and deleting content makes room again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_DENIED } from '../../core/access/index.ts';
import { connect, registerPlan, sleep, waitFor, type Member } from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer({ maxDocBytes: 64 * 1024 });
let owner: Member;
beforeAll(async () => {
  owner = await registerPlan(t.url);
});

describe('the doc size cap', () => {
  it('refuses the update that would pass it, keeps the connection, and takes edits again after a deletion', async () => {
    const writer = await connect(t, owner, 'plan');
    const other = await connect(t, owner, 'plan');
    await Promise.all([writer.synced(), other.synced()]);
    const text = writer.doc.getText('body');
    text.insert(0, 'a'.repeat(40 * 1024));
    await waitFor(() => other.doc.getText('body').length === 40 * 1024, { what: 'first 40 KiB' });

    // 40 KiB more would make ~80 KiB: refused, not stored, not relayed; the writer stays online.
    writer.doc.getMap('meta').set('big', 'b'.repeat(40 * 1024));
    await waitFor(() => writer.denied.includes(PERMISSION_DENIED.docTooLarge), { what: 'docTooLarge' });
    await sleep(100);
    expect(other.doc.getMap('meta').has('big')).toBe(false);
    expect(writer.closes).toEqual([]);
    expect(writer.provider.wsconnected).toBe(true);

    const fresh = await connect(t, owner, 'plan');
    await fresh.synced();
    expect(fresh.doc.getMap('meta').has('big')).toBe(false);
    expect(fresh.doc.getText('body').length).toBe(40 * 1024);
    fresh.destroy();

    // Another member's small edit still fits.
    other.doc.getMap('notes').set('small', 'ok');
    await waitFor(() => writer.doc.getMap('notes').get('small') === 'ok', { what: 'a small edit' });

    // Deleting the first 40 KiB frees the room (deleted text is garbage-collected), so a new
    // 30 KiB edit from a fresh replica is accepted.
    other.doc.getText('body').delete(0, 40 * 1024);
    await waitFor(() => writer.doc.getText('body').length === 0, { what: 'the deletion' });
    await sleep(300); // room is measured again at most four times a second
    const later = await connect(t, owner, 'plan');
    await later.synced();
    later.doc.getMap('meta').set('after', 'c'.repeat(30 * 1024));
    await waitFor(() => other.doc.getMap<string>('meta').get('after')?.length === 30 * 1024, {
      what: 'room again',
    });
    expect(later.denied).toEqual([]);
    for (const c of [writer, other, later]) c.destroy();
  });
});
