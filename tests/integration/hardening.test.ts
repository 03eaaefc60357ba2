// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CLOSE_CODES, SYNC_SUBPROTOCOL, syncProtocols } from '../../core/access/index.ts';
import { newPlanId } from '../../core/model/ids.ts';
import { TokenSigner } from '../../sync-server/auth.ts';
import {
  connect,
  invitedMember,
  rawSocket,
  registerPlan,
  removeDir,
  sleep,
  startTestServer,
  token,
  waitFor,
  type Client,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer({ maxFrameBytes: 64 * 1024 });
let owner: Member;
let relative: Member;

beforeAll(async () => {
  owner = await registerPlan(t.url);
  relative = await invitedMember(t.url, owner, 'relative', 'Ola');
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

/** The presence states a client sees from others (not its own), as the server relays them. */
interface SeenPresence {
  user?: { memberId: string; name: string; role: string; color: string };
  cursor?: { anchor: number } | null;
  x?: unknown;
}
function othersPresence(c: Client): SeenPresence[] {
  return [...c.provider.awareness.getStates()]
    .filter(([id]) => id !== c.doc.clientID)
    .map(([, state]) => state as SeenPresence);
}

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
    await waitFor(() => othersPresence(b).some((s) => s.cursor?.anchor === 1), { what: 'presence' });
    const seen = othersPresence(b).find((s) => s.cursor?.anchor === 1)!;
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

  it('relays presence under ids the server chooses, so no client id can be taken over or hidden', async () => {
    const victim = await connect(t, owner, 'plan');
    const watcher = await connect(t, owner, 'plan');
    await Promise.all([victim.synced(), watcher.synced()]);
    victim.provider.awareness.setLocalStateField('cursor', { anchor: 7 });
    await waitFor(() => othersPresence(watcher).some((s) => s.cursor?.anchor === 7), {
      what: 'victim presence',
    });
    // Others never see a connection's own Yjs client id.
    expect(watcher.provider.awareness.getStates().has(victim.doc.clientID)).toBe(false);

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
    // Its own id first (claimed), then a takeover of the victim's id and an invented id.
    s.ws.send(awarenessFrame([[424242, 1, { cursor: { anchor: 0 } }]]));
    s.ws.send(
      awarenessFrame([
        [victim.doc.clientID, 99, { cursor: { anchor: 666 } }],
        [515151, 1, { x: 1 }],
      ]),
    );
    s.ws.send(awarenessFrame([[victim.doc.clientID, 100, null]]));
    await waitFor(() => othersPresence(watcher).some((p) => p.user?.memberId === relative.memberId), {
      what: 'own presence',
    });
    await sleep(100);
    const states = othersPresence(watcher);
    expect(states.find((p) => p.user?.memberId === relative.memberId)!.cursor).toEqual({ anchor: 0 });
    expect(states.find((p) => p.user?.memberId === owner.memberId)!.cursor).toEqual({ anchor: 7 });
    expect(states.some((p) => p.cursor?.anchor === 666 || p.x === 1)).toBe(false);
    expect(states).toHaveLength(2);
    expect(watcher.provider.awareness.getStates().has(424242)).toBe(false);
    s.ws.close();
    victim.destroy();
    watcher.destroy();
  });

  it('cannot hide a member who is away by claiming their client id before they return (defect 9.5)', async () => {
    const victim = await connect(t, owner, 'plan');
    await victim.synced();
    const victimId = victim.doc.clientID;
    victim.destroy();

    // The attacker announces the victim's id while the victim is offline.
    const attacker = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols: syncProtocols((await token(t.url, relative)).token),
    });
    await attacker.opened;
    attacker.ws.send(
      bytes((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          bytes((a) => {
            encoding.writeVarUint(a, 1);
            encoding.writeVarUint(a, victimId);
            encoding.writeVarUint(a, 1_000_000);
            encoding.writeVarString(a, JSON.stringify({ cursor: null }));
          }),
        );
      }),
    );
    const watcher = await connect(t, owner, 'plan');
    await watcher.synced();
    await waitFor(() => othersPresence(watcher).some((p) => p.user?.memberId === relative.memberId), {
      what: 'attacker presence',
    });

    // The victim returns with the same client id and a low clock: it is seen all the same.
    const doc = new Y.Doc();
    doc.clientID = victimId;
    const back = await connect(t, owner, 'plan', { doc });
    await back.synced();
    back.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
    await waitFor(() => othersPresence(watcher).some((p) => p.cursor?.anchor === 3), {
      what: 'returning victim presence',
    });
    expect(othersPresence(watcher).find((p) => p.cursor?.anchor === 3)!.user?.memberId).toBe(owner.memberId);
    attacker.ws.close();
    back.destroy();
    watcher.destroy();
  });

  it('accepts presence from a read-only member', async () => {
    const network = await invitedMember(t.url, owner, 'network', 'Nabo');
    const n = await connect(t, network, 'plan');
    const o = await connect(t, owner, 'plan');
    await Promise.all([n.synced(), o.synced()]);
    n.provider.awareness.setLocalStateField('cursor', null);
    await waitFor(() => othersPresence(o).some((p) => p.user?.role === 'network'), {
      what: 'reader presence',
    });
    n.destroy();
    o.destroy();
  });
});
