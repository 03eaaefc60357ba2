// @vitest-environment node
/**
 * Issue 9, defect 7: a reader that never sent sync step 1 received live edits, and no
 * `doc.read` row was written for it. Now content goes only to a connection that asked for it
 * with sync step 1, and that ask is what writes `doc.read`: every byte of a doc a member
 * received is preceded by a `doc.read` row of theirs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { syncProtocols } from '../../core/access/index.ts';
import {
  call,
  connect,
  invitedMember,
  rawSocket,
  registerPlan,
  token,
  waitFor,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer({ auditFlushMs: 50 });
let owner: Member;
beforeAll(async () => {
  owner = await registerPlan(t.url, 'Kari');
});

/** Sync messages (type 0) of a sub-type among the frames received. */
const syncOf = (messages: Uint8Array[], sub: number) =>
  messages.filter((m) => {
    const d = decoding.createDecoder(m);
    return decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === sub;
  });

async function readKinds(memberId: string): Promise<string[]> {
  const r = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit`, { secret: owner.secret });
  return (r.json.events as { kind: string; memberId: string }[])
    .filter((e) => e.memberId === memberId)
    .map((e) => e.kind);
}

describe('reading is asking', () => {
  it('sends no content to a connection that never sent sync step 1, and audits the read when it asks', async () => {
    const reader = await invitedMember(t.url, owner, 'network', 'Nils');
    const tok = (await token(t.url, reader)).token;
    const raw = rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(tok) });
    expect(await raw.opened).toBe(true);

    const writer = await connect(t, owner, 'plan');
    await writer.synced();
    writer.doc.getText('t').insert(0, 'words only askers see');
    // The writer's edit reaches a connection that asked, and not the silent one.
    const asker = await connect(t, reader, 'plan');
    await waitFor(() => asker.doc.getText('t').length > 0, { what: 'the asker gets the edit' });
    writer.doc.getText('t').insert(0, 'more ');
    await waitFor(() => asker.doc.getText('t').toString().startsWith('more'), { what: 'a live edit' });
    await new Promise((r) => setTimeout(r, 200));
    expect(syncOf(raw.messages, 1)).toHaveLength(0);
    expect(syncOf(raw.messages, 2)).toHaveLength(0);
    asker.destroy();

    // Now the silent one asks: it gets the doc, and its read is in the log.
    const before = (await readKinds(reader.memberId)).filter((k) => k === 'doc.read').length;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    raw.ws.send(encoding.toUint8Array(e));
    await waitFor(() => syncOf(raw.messages, 1).length > 0, { what: 'the answer to step 1' });
    writer.doc.getText('t').insert(0, 'now ');
    await waitFor(() => syncOf(raw.messages, 2).length > 0, { what: 'a live edit after asking' });
    await waitFor(
      async () => (await readKinds(reader.memberId)).filter((k) => k === 'doc.read').length > before,
      { what: 'doc.read for the silent connection' },
    );
    raw.ws.close();
    writer.destroy();
  });
});
