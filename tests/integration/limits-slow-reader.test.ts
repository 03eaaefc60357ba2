// @vitest-environment node
/**
 * A client that stops reading (docs/protocol.md "Limits"): once more than
 * `maxSendBufferBytes` wait for it, the server closes it with `slowReader` (4531, transient)
 * rather than drop a message or buffer without bound. What was sent before the close arrives
 * complete and in order; a reconnecting provider catches up through the sync handshake.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import {
  connect,
  rawSocket,
  registerPlan,
  sleep,
  token,
  waitFor,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer({
  maxSendBufferBytes: 256 * 1024,
  maxDocBytes: 64 * 1024 * 1024,
  byteBurst: 64 * 1024 * 1024,
  bytesPerSecond: 64 * 1024 * 1024,
  memberBytesPerSecond: 64 * 1024 * 1024,
});
let owner: Member;
beforeAll(async () => {
  owner = await registerPlan(t.url);
});

function syncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

describe('a slow reader', () => {
  it('is closed with slowReader once its buffer passes the bound, after receiving everything before it in order', async () => {
    const writer = await connect(t, owner, 'plan');
    const other = await connect(t, owner, 'plan');
    await Promise.all([writer.synced(), other.synced()]);
    const slow = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols: syncProtocols((await token(t.url, owner)).token),
    });
    expect(await slow.opened).toBe(true);
    await waitFor(() => slow.messages.length > 0, { what: 'server step 1' });
    // Live updates go to connections that asked for the doc with sync step 1, as a
    // y-websocket provider does on open (docs/protocol.md "Handshake").
    slow.ws.send(syncStep1(new Y.Doc()));
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();

    // 200 updates of 64 KiB (12.5 MiB): far beyond the kernel's socket buffers and the bound.
    const list = writer.doc.getArray<string>('list');
    for (let i = 0; i < 200; i++) {
      list.push([`${i}:${'z'.repeat(64 * 1024)}`]);
      if (i % 20 === 19) await sleep(20);
    }
    await waitFor(() => other.doc.getArray('list').length === 200, { timeout: 30_000, what: 'other client' });
    expect(other.closes).toEqual([]);
    expect(writer.closes).toEqual([]);

    socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(CLOSE_CODES.slowReader);
    expect(closed.reason).toBe('slowReader');

    // What it got before the close is a gap-free prefix of the list, in order.
    const replica = new Y.Doc();
    for (const m of slow.messages) {
      const d = decoding.createDecoder(m);
      if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 2) continue;
      Y.applyUpdate(replica, decoding.readVarUint8Array(d));
    }
    const got = replica.getArray<string>('list').toArray();
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(200);
    got.forEach((item, i) => expect(item.startsWith(`${i}:`)).toBe(true));

    // A provider reconnecting with that replica catches up with the rest.
    const back = await connect(t, owner, 'plan', { doc: replica });
    await waitFor(() => back.doc.getArray('list').length === 200, { timeout: 30_000, what: 'catch-up' });
    for (const c of [writer, other, back]) c.destroy();
  }, 60_000);
});
