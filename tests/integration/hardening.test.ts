// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, SYNC_SUBPROTOCOL, syncProtocols } from '../../core/access/index.ts';
import { newPlanId } from '../../core/model/ids.ts';
import { TokenSigner } from '../../sync-server/auth.ts';
import {
  connect,
  invitedMember,
  rawSocket,
  registerPlan,
  removeDir,
  startTestServer,
  token,
  waitFor,
  type Member,
  type TestServer,
} from './helpers.ts';

let t: TestServer;
let owner: Member;
let relative: Member;

beforeAll(async () => {
  t = await startTestServer({ maxFrameBytes: 64 * 1024 });
  owner = await registerPlan(t.url);
  relative = await invitedMember(t.url, owner, 'relative', 'Ola');
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

function bytes(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const MALFORMED: { name: string; frame: Uint8Array | string; code: number }[] = [
  { name: 'an empty frame', frame: new Uint8Array(0), code: CLOSE_CODES.badMessage },
  { name: 'an unknown message type', frame: new Uint8Array([9, 0]), code: CLOSE_CODES.badMessage },
  { name: 'an integer that never ends', frame: new Uint8Array(12).fill(0xff), code: CLOSE_CODES.badMessage },
  { name: 'an unknown sync message type', frame: new Uint8Array([0, 7, 0]), code: CLOSE_CODES.badMessage },
  {
    name: 'an update longer than its frame',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 50);
      encoding.writeUint8(e, 1);
    }),
    code: CLOSE_CODES.badMessage,
  },
  {
    name: 'an update that is not a Yjs update',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    }),
    code: CLOSE_CODES.badMessage,
  },
  {
    name: 'a state vector that is not one',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, new Uint8Array([5, 1]));
    }),
    code: CLOSE_CODES.badMessage,
  },
  {
    name: 'awareness that is not JSON',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        bytes((a) => {
          encoding.writeVarUint(a, 1);
          encoding.writeVarUint(a, 1234);
          encoding.writeVarUint(a, 1);
          encoding.writeVarString(a, '{not json');
        }),
      );
    }),
    code: CLOSE_CODES.badMessage,
  },
  { name: 'a text frame', frame: 'hello', code: CLOSE_CODES.badMessage },
  { name: 'a frame over the size limit', frame: new Uint8Array(65 * 1024), code: CLOSE_CODES.frameTooLarge },
];

describe('malformed frames', () => {
  it.each(MALFORMED)('closes only the sender when it sends $name', async ({ frame, code }) => {
    const a = await connect(t, owner, 'plan');
    const c = await connect(t, relative, 'plan');
    await Promise.all([a.synced(), c.synced()]);
    const tok = (await token(t.url, relative)).token;
    const bad = rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(tok) });
    expect(await bad.opened).toBe(true);
    await waitFor(() => bad.messages.length > 0, { what: 'server step 1' });
    bad.ws.send(frame);
    const closed = await bad.closed;
    expect(closed.code).toBe(code);

    // Everyone else carries on.
    const key = `after-${Math.random()}`;
    a.doc.getMap('m').set(key, 1);
    await waitFor(() => c.doc.getMap('m').get(key) === 1, { what: 'others keep syncing' });
    expect(a.closes).toEqual([]);
    expect(c.closes).toEqual([]);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    a.destroy();
    c.destroy();
  });

  it('closes a connection that sends frames faster than the rate limit', async () => {
    const limited = await startTestServer({ messagesPerSecond: 10, messageBurst: 10 });
    try {
      const m = await registerPlan(limited.url);
      const s = rawSocket(limited.wsUrl, `/${m.planId}/plan`, {
        protocols: syncProtocols((await token(limited.url, m)).token),
      });
      await s.opened;
      for (let i = 0; i < 50; i++) s.ws.send(new Uint8Array([3]));
      expect((await s.closed).code).toBe(CLOSE_CODES.rateLimited);
    } finally {
      await limited.close();
      removeDir(limited.dataDir);
    }
  });
});

describe('connection tokens', () => {
  const refusedWith = async (protocols: string[], planId = owner.planId) => {
    const s = rawSocket(t.wsUrl, `/${planId}/plan`, { protocols });
    const closed = await s.closed;
    // Nothing of the doc was sent before the refusal.
    expect(s.messages).toEqual([]);
    return closed.code;
  };

  it('refuses a connection without a token', async () => {
    expect(await refusedWith([SYNC_SUBPROTOCOL])).toBe(CLOSE_CODES.unauthenticated);
  });

  it('refuses a wrong token', async () => {
    const real = (await token(t.url, owner)).token;
    const forged = real.slice(0, -4) + (real.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await refusedWith(syncProtocols(forged))).toBe(CLOSE_CODES.unauthenticated);
    expect(await refusedWith(syncProtocols('not-a-token'))).toBe(CLOSE_CODES.unauthenticated);
  });

  it('refuses an expired token', async () => {
    const expired = TokenSigner.open(t.dataDir).sign(owner.planId, owner.memberId, Date.now() - 1000);
    expect(await refusedWith(syncProtocols(expired))).toBe(CLOSE_CODES.unauthenticated);
  });

  it("refuses a token of another plan's member", async () => {
    const other = await registerPlan(t.url);
    expect(await refusedWith(syncProtocols((await token(t.url, other)).token))).toBe(
      CLOSE_CODES.unauthenticated,
    );
  });

  it('refuses a plan that is not registered with notFound', async () => {
    const planId = newPlanId();
    const signed = TokenSigner.open(t.dataDir).sign(planId, owner.memberId, Date.now() + 60_000);
    expect(await refusedWith(syncProtocols(signed), planId)).toBe(CLOSE_CODES.notFound);
  });

  it('echoes the varde.v1 subprotocol and never the token', async () => {
    const s = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols: syncProtocols((await token(t.url, owner)).token),
    });
    expect(await s.opened).toBe(true);
    expect(s.ws.protocol).toBe(SYNC_SUBPROTOCOL);
    s.ws.close();
  });
});

describe('the WebSocket handshake', () => {
  it('refuses a disallowed Origin with HTTP 403 and accepts an extension origin', async () => {
    const protocols = syncProtocols((await token(t.url, owner)).token);
    const evil = rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols, origin: 'https://evil.example' });
    expect(await evil.refused).toBe(403);
    const ext = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols,
      origin: 'chrome-extension://abcdefghijklmnop',
    });
    expect(await ext.opened).toBe(true);
    ext.ws.close();
  });

  it('refuses an unknown path with 404 and a missing subprotocol with 400', async () => {
    expect(
      await rawSocket(t.wsUrl, `/${owner.planId}/secrets`, { protocols: [SYNC_SUBPROTOCOL] }).refused,
    ).toBe(404);
    expect(await rawSocket(t.wsUrl, `/short/plan`, { protocols: [SYNC_SUBPROTOCOL] }).refused).toBe(404);
    expect(await rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols: ['other'] }).refused).toBe(400);
  });
});

describe('presence', () => {
  it("replaces the user field with the member's identity", async () => {
    const a = await connect(t, relative, 'plan');
    const b = await connect(t, owner, 'plan');
    await Promise.all([a.synced(), b.synced()]);
    a.provider.awareness.setLocalStateField('user', {
      name: 'The Owner',
      role: 'participant',
      color: '#000000',
    });
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor !== undefined, {
      what: 'presence',
    });
    const seen = b.provider.awareness.getStates().get(a.doc.clientID)!;
    expect(seen.user).toEqual({
      memberId: relative.memberId,
      name: 'Ola',
      role: 'relative',
      color: expect.stringMatching(/^#/),
    });
    expect(seen.cursor).toEqual({ anchor: 1 });
    a.destroy();
    b.destroy();
  });

  it("ignores awareness for client ids that are not the connection's own", async () => {
    const victim = await connect(t, owner, 'plan');
    const watcher = await connect(t, owner, 'plan');
    await Promise.all([victim.synced(), watcher.synced()]);
    victim.provider.awareness.setLocalStateField('cursor', { anchor: 7 });
    await waitFor(() => watcher.provider.awareness.getStates().has(victim.doc.clientID), {
      what: 'victim presence',
    });

    const s = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols: syncProtocols((await token(t.url, relative)).token),
    });
    await s.opened;
    const awarenessFrame = (entries: [number, number, unknown][]) =>
      bytes((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          bytes((a) => {
            encoding.writeVarUint(a, entries.length);
            for (const [id, clock, state] of entries) {
              encoding.writeVarUint(a, id);
              encoding.writeVarUint(a, clock);
              encoding.writeVarString(a, JSON.stringify(state));
            }
          }),
        );
      });
    // Its own id first (claimed), then a takeover of the victim and an invented id.
    s.ws.send(awarenessFrame([[424242, 1, { cursor: { anchor: 0 } }]]));
    s.ws.send(
      awarenessFrame([
        [victim.doc.clientID, 99, { cursor: { anchor: 666 } }],
        [515151, 1, { x: 1 }],
      ]),
    );
    s.ws.send(awarenessFrame([[victim.doc.clientID, 100, null]]));
    await waitFor(() => watcher.provider.awareness.getStates().has(424242), { what: 'own presence' });
    await new Promise((r) => setTimeout(r, 100));
    const states = watcher.provider.awareness.getStates();
    expect(states.get(424242)!.user.memberId).toBe(relative.memberId);
    expect(states.get(victim.doc.clientID)!.cursor).toEqual({ anchor: 7 });
    expect(states.has(515151)).toBe(false);
    s.ws.close();
    victim.destroy();
    watcher.destroy();
  });

  it('accepts presence from a read-only member', async () => {
    const network = await invitedMember(t.url, owner, 'network', 'Nabo');
    const n = await connect(t, network, 'plan');
    const o = await connect(t, owner, 'plan');
    await Promise.all([n.synced(), o.synced()]);
    n.provider.awareness.setLocalStateField('cursor', null);
    await waitFor(() => o.provider.awareness.getStates().get(n.doc.clientID)?.user?.role === 'network', {
      what: 'reader presence',
    });
    n.destroy();
    o.destroy();
  });
});
