// @vitest-environment node
/**
 * Limits per connection and per member (docs/protocol.md "Limits"): bytes per second, the
 * member's shared budget, connections per member, and presence coalescing. Frame size and
 * frames per second are in hardening.test.ts. Each test starts a server with small limits.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import type { ServerOptions } from '../../sync-server/config.ts';
import {
  connect,
  rawSocket,
  registerPlan,
  sleep,
  token,
  waitFor,
  type Member,
  type TestServer,
} from '../../harness/server.ts';
import { testServers } from './with-server.ts';

const startServer = testServers();

async function serverWith(options: ServerOptions): Promise<{ t: TestServer; owner: Member }> {
  const t = await startServer(options);
  return { t, owner: await registerPlan(t.url) };
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** A sync update frame carrying `text` inserted into a fresh doc. */
function textUpdate(text: string): Uint8Array {
  const d = new Y.Doc();
  d.getText('t').insert(0, text);
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(d));
  });
}

function presence(clientId: number, clock: number, state: unknown): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      frame((a) => {
        encoding.writeVarUint(a, 1);
        encoding.writeVarUint(a, clientId);
        encoding.writeVarUint(a, clock);
        encoding.writeVarString(a, JSON.stringify(state));
      }),
    );
  });
}

async function open(s: TestServer, m: Member, doc = 'plan') {
  const sock = rawSocket(s.wsUrl, `/${m.planId}/${doc}`, {
    protocols: syncProtocols((await token(s.url, m)).token),
  });
  expect(await sock.opened).toBe(true);
  await waitFor(() => sock.messages.length > 0, { what: 'server step 1' });
  return sock;
}

describe('bytes per second', () => {
  it('closes a connection that sends more bytes than its budget with rateLimited, and keeps others', async () => {
    const { t, owner } = await serverWith({ bytesPerSecond: 64 * 1024, byteBurst: 256 * 1024 });
    const other = await connect(t, owner, 'plan');
    await other.synced();
    const s = await open(t, owner);
    // 8 frames of 40 KiB: 320 KiB, over the 256 KiB burst, at ~8 frames, far under the frame rate.
    for (let i = 0; i < 8; i++) s.ws.send(textUpdate('x'.repeat(40 * 1024)));
    expect((await s.closed).code).toBe(CLOSE_CODES.rateLimited);
    other.doc.getMap('m').set('still', 'here');
    await sleep(100);
    expect(other.closes).toEqual([]);
    other.destroy();
  });

  it('counts the answers a client asks for: repeated sync step 1 for a large doc', async () => {
    const { t, owner } = await serverWith({ bytesPerSecond: 32 * 1024, byteBurst: 512 * 1024 });
    const writer = await connect(t, owner, 'plan');
    await writer.synced();
    writer.doc.getText('t').insert(0, 'y'.repeat(100 * 1024));
    await waitFor(() => writer.provider.synced && writer.provider.ws?.bufferedAmount === 0);
    await sleep(200);
    const s = await open(t, owner);
    // Each empty state vector asks for the whole 100 KiB doc; the sixth passes 512 KiB.
    const askAll = new Uint8Array([0, 0, 1, 0]);
    for (let i = 0; i < 10; i++) s.ws.send(askAll);
    expect((await s.closed).code).toBe(CLOSE_CODES.rateLimited);
    writer.destroy();
  });
});

describe('per member', () => {
  it('refuses connections over maxConnectionsPerMember with tooManyConnections, then admits after one closes', async () => {
    const { t, owner } = await serverWith({ maxConnectionsPerMember: 3 });
    const socks = [await open(t, owner), await open(t, owner, 'goals'), await open(t, owner, 'plan-notes')];
    const fourth = rawSocket(t.wsUrl, `/${owner.planId}/goals-notes`, {
      protocols: syncProtocols((await token(t.url, owner)).token),
    });
    expect((await fourth.closed).code).toBe(CLOSE_CODES.tooManyConnections);
    expect(fourth.messages).toEqual([]);
    // Another member of the plan is not affected.
    const other = await registerPlan(t.url);
    (await open(t, other)).ws.close();
    socks[0]!.ws.close();
    await socks[0]!.closed;
    await sleep(50);
    const again = await open(t, owner, 'goals-notes');
    again.ws.close();
    for (const s of socks.slice(1)) s.ws.close();
  });

  it("shares one frame budget across a member's connections", async () => {
    // Each connection may burst 20 frames and refills fast; the member's shared budget is
    // 4 x 20 = 80 and refills at 1 frame a second.
    const { t, owner } = await serverWith({
      messagesPerSecond: 100,
      messageBurst: 20,
      memberMessagesPerSecond: 1,
    });
    const a = await open(t, owner);
    const b = await open(t, owner, 'goals');
    const query = new Uint8Array([3]);
    // Six batches of 15, taking turns: never over a connection's own budget, 90 for the member.
    for (let batch = 0; batch < 6; batch++) {
      const s = batch % 2 === 0 ? a : b;
      for (let i = 0; i < 15; i++) s.ws.send(query);
      await sleep(150);
    }
    expect((await b.closed).code).toBe(CLOSE_CODES.rateLimited);
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    a.ws.close();
  });
});

describe('presence rate', () => {
  it('relays at most awarenessPerSecond, coalesces the rest, and always delivers the latest state', async () => {
    const { t, owner } = await serverWith({ awarenessPerSecond: 5, awarenessBurst: 5 });
    const watcher = await connect(t, owner, 'plan');
    await watcher.synced();
    // The server relays the raw socket's presence under an id of its own choosing.
    const relayedId = () =>
      [...watcher.provider.awareness.getStates()].find(([id]) => id !== watcher.doc.clientID)?.[0];
    let relayed = 0;
    watcher.provider.awareness.on('update', ({ updated, added }: { updated: number[]; added: number[] }) => {
      const id = relayedId();
      if (id !== undefined && [...updated, ...added].includes(id)) relayed++;
    });
    const s = await open(t, owner);
    for (let i = 1; i <= 60; i++) s.ws.send(presence(777, i, { cursor: { anchor: i } }));
    await waitFor(
      () => {
        const id = relayedId();
        return id !== undefined && watcher.provider.awareness.getStates().get(id)?.cursor?.anchor === 60;
      },
      { what: 'the latest presence state' },
    );
    // 5 at once, then at most a few coalesced sends: not 60.
    expect(relayed).toBeLessThanOrEqual(8);
    expect(relayed).toBeGreaterThanOrEqual(2);
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    s.ws.close();
    watcher.destroy();
  });
});
