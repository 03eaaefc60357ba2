// @vitest-environment node
/**
 * The HTTP API under hostile input: malformed JSON, wrong types, oversized bodies, guessed
 * invite codes, replayed and expired credentials, wrong plan ids. Each gets a clear 4xx with a
 * documented reason, and the database is byte-for-byte what it was before (every table dumped
 * and compared).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import { newPlanId } from '../../core/model/ids.ts';
import {
  call,
  createInvite,
  invitedMember,
  rawSocket,
  redeem,
  registerPlan,
  removeDir,
  startTestServer,
  token,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

// Default per-address limits for redemption, so guessing meets the real limit.
const t = withServer({ redeemPerMinute: 10 });
let owner: Member;
let relative: Member;
let other: Member;
let leaver: Member;

beforeAll(async () => {
  owner = await registerPlan(t.url, 'Kari');
  relative = await invitedMember(t.url, owner, 'relative', 'Ola');
  other = await registerPlan(t.url, 'Someone else');
  // Redeemed now: the guessing test below uses up this address's redemptions.
  leaver = await invitedMember(t.url, owner, 'relative', 'Leaver');
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every row of every table, blobs as hex: what "nothing changed" is checked against. */
function dump(): string {
  const db = new Database(join(t.dataDir, 'varde.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    }
    return JSON.stringify(out, (_k, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
        ? Buffer.from((v as { data: number[] }).data).toString('hex')
        : v,
    );
  } finally {
    db.close();
  }
}

async function raw(method: string, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, {
    method,
    body: body === '' ? undefined : body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

const auth = (m: Member) => ({ Authorization: `Bearer ${m.secret}` });

/** Runs the requests and checks that none of them changed a row. */
async function unchanged(requests: () => Promise<void>): Promise<void> {
  const before = dump();
  await requests();
  expect(dump()).toBe(before);
}

describe('malformed bodies', () => {
  it('answers 400 badRequest to JSON that is broken, not an object, or of the wrong types', async () => {
    const p = `/api/plans/${owner.planId}`;
    await unchanged(async () => {
      for (const [method, path, body] of [
        ['POST', '/api/plans', '{"planId": '],
        ['POST', '/api/plans', '[1,2,3]'],
        ['POST', '/api/plans', 'null'],
        ['POST', '/api/plans', '"a string"'],
        ['POST', '/api/plans', JSON.stringify({ planId: 123, name: ['x'] })],
        ['POST', '/api/plans', JSON.stringify({ planId: newPlanId(), name: 'x'.repeat(81) })],
        ['POST', '/api/plans', JSON.stringify({ planId: newPlanId(), name: 'bell\u0007' })],
        ['POST', `${p}/invites`, JSON.stringify({ role: 'participant' })],
        ['POST', `${p}/invites`, JSON.stringify({ role: 'relative', expiresInSeconds: '60' })],
        ['POST', `${p}/invites`, JSON.stringify({ role: 'relative', expiresInSeconds: 1e308 })],
        [
          'POST',
          `${p}/invites`,
          JSON.stringify({ role: 'other', levels: { goals: 'edit', plan: 'edit', x: 1 } }),
        ],
        ['POST', `${p}/invites`, JSON.stringify({ role: 'other' })],
        [
          'PATCH',
          `${p}/members/${relative.memberId}`,
          JSON.stringify({ levels: { goals: 'owner', plan: 'edit' } }),
        ],
        ['PATCH', `${p}/members/${relative.memberId}`, JSON.stringify({ role: 'participant' })],
        ['PATCH', `${p}/members/${relative.memberId}`, JSON.stringify({ name: 42 })],
        ['PATCH', `${p}/members/${relative.memberId}`, JSON.stringify({})],
        ['PATCH', `${p}/members/${relative.memberId}`, '{"__proto__": {"isOwner": true}}'],
        ['POST', '/api/invites/redeem', JSON.stringify({ code: { $ne: null }, name: 'x' })],
        ['POST', '/api/invites/redeem', JSON.stringify({ code: "' OR 1=1 --", name: 'x' })],
      ] as const) {
        const r = await raw(method, path, body, auth(owner));
        expect([path, body, r.status, r.json.error]).toEqual([path, body, 400, 'badRequest']);
        expect(typeof r.json.message).toBe('string');
      }
    });
  });

  it('answers 400 to bad query parameters and 415 to a body that is not JSON', async () => {
    await unchanged(async () => {
      for (const q of ['after=-1', 'after=1.5', 'after=abc', 'limit=0', 'limit=1001', 'limit=1e400']) {
        const r = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit?${q}`, { secret: owner.secret });
        expect([q, r.status, r.json.error]).toEqual([q, 400, 'badRequest']);
      }
      const form = await raw('POST', `/api/plans/${owner.planId}/invites`, 'role=relative', {
        ...auth(owner),
        'Content-Type': 'application/x-www-form-urlencoded',
      });
      expect([form.status, form.json.error]).toEqual([415, 'unsupportedMediaType']);
    });
  });
});

describe('oversized bodies', () => {
  it('answers 413 and hangs up, whether the size is declared or streamed', async () => {
    const port = Number(new URL(t.url).port);
    const send = (head: string, body: Buffer) =>
      new Promise<string>((resolve) => {
        const s = netConnect(port, '127.0.0.1', () => {
          s.write(head);
          s.write(body, () => {});
        });
        let out = '';
        s.on('data', (d) => (out += d.toString()));
        s.on('error', () => {});
        s.on('close', () => resolve(out));
      });
    await unchanged(async () => {
      const declared = await send(
        'POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
        Buffer.from('{"planId":'),
      );
      expect(declared).toMatch(/^HTTP\/1.1 413 /);
      expect(declared).toContain('"error":"bodyTooLarge"');
      const chunk = Buffer.alloc(200_000, 'a');
      const streamed = await send(
        'POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n0\r\n\r\n')]),
      );
      expect(streamed).toMatch(/^HTTP\/1.1 413 /);
    });
  });
});

describe('guessed and replayed credentials', () => {
  it('rate-limits guessed invite codes per address: 404 inviteNotFound, then 429 with Retry-After', async () => {
    await unchanged(async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 14; i++) {
        const code = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
        const r = await call(t.url, 'POST', '/api/invites/redeem', { body: { code, name: 'Guesser' } });
        statuses.push(r.status);
        if (r.status === 429) {
          expect(r.json.error).toBe('rateLimited');
          retryAfter = r.headers.get('retry-after');
        } else {
          expect(r.json.error).toBe('inviteNotFound');
        }
      }
      // The limiter allowed some guesses (the suite redeemed one invite before) and then refused.
      expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(10);
      expect(statuses.slice(-3)).toEqual([429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    });
  });

  it('refuses a replayed invite code with 410 inviteUsed and an expired one with 410 inviteExpired', async () => {
    // Its own server: the guessing test above used up this address's redemptions.
    const s = await startTestServer();
    try {
      const o = await registerPlan(s.url);
      const used = await createInvite(s.url, o, 'relative');
      await redeem(s.url, used, 'First');
      const expiring = await createInvite(s.url, o, 'network');
      const before = (await call(s.url, 'GET', `/api/plans/${o.planId}/members`, { secret: o.secret })).json;
      const replay = await call(s.url, 'POST', '/api/invites/redeem', {
        body: { code: used, name: 'Second' },
      });
      expect([replay.status, replay.json.error]).toEqual([410, 'inviteUsed']);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 8 * 24 * 3600 * 1000);
      const late = await call(s.url, 'POST', '/api/invites/redeem', {
        body: { code: expiring, name: 'Late' },
      });
      expect([late.status, late.json.error]).toEqual([410, 'inviteExpired']);
      const after = (await call(s.url, 'GET', `/api/plans/${o.planId}/members`, { secret: o.secret })).json;
      expect(after).toEqual(before);
    } finally {
      await s.close();
      removeDir(s.dataDir);
    }
  });

  it('refuses a connection token used as a member secret, and a removed member’s secret and token', async () => {
    const tok = (await token(t.url, relative)).token;
    await unchanged(async () => {
      const asSecret = await raw('POST', `/api/plans/${owner.planId}/tokens`, '', {
        Authorization: `Bearer ${tok}`,
      });
      expect([asSecret.status, asSecret.json.error]).toEqual([401, 'unauthenticated']);
      const forged = await raw('GET', `/api/plans/${owner.planId}/me`, '', {
        Authorization: `Bearer ${relative.secret.slice(0, -2)}AA`,
      });
      expect(forged.status).toBe(401);
    });
    const leaverToken = (await token(t.url, leaver)).token;
    expect(
      (
        await call(t.url, 'DELETE', `/api/plans/${owner.planId}/members/${leaver.memberId}`, {
          secret: owner.secret,
        })
      ).status,
    ).toBe(204);
    await unchanged(async () => {
      const replay = await call(t.url, 'POST', `/api/plans/${owner.planId}/tokens`, {
        secret: leaver.secret,
      });
      expect([replay.status, replay.json.error]).toEqual([403, 'revoked']);
      // The unexpired connection token opens nothing.
      const s = rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(leaverToken) });
      expect((await s.closed).code).toBe(CLOSE_CODES.revoked);
      expect(s.messages).toEqual([]);
    });
  });

  it('refuses an expired connection token with 4401', async () => {
    const tok = (await token(t.url, relative)).token;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60 * 1000);
    const s = rawSocket(t.wsUrl, `/${owner.planId}/plan`, { protocols: syncProtocols(tok) });
    expect((await s.closed).code).toBe(CLOSE_CODES.unauthenticated);
    expect(s.messages).toEqual([]);
  });
});

describe('wrong plan ids', () => {
  it('answers 401 to a member of another plan, an unknown plan and a malformed id, changing nothing', async () => {
    await unchanged(async () => {
      for (const planId of [other.planId, newPlanId(), 'x', 'A'.repeat(64)]) {
        for (const [method, path] of [
          ['GET', `/api/plans/${planId}/me`],
          ['POST', `/api/plans/${planId}/tokens`],
          ['GET', `/api/plans/${planId}/members`],
          ['DELETE', `/api/plans/${planId}`],
          ['PATCH', `/api/plans/${planId}/members/${relative.memberId}`],
          ['POST', `/api/plans/${planId}/invites`],
        ] as const) {
          const r = await raw(
            method,
            path,
            method === 'GET' || method === 'DELETE' ? '' : '{"role":"relative"}',
            auth(owner),
          );
          if (planId === owner.planId) continue;
          expect([method, path, r.status, r.json.error]).toEqual([method, path, 401, 'unauthenticated']);
        }
      }
      // Ids the router cannot match at all, and unknown members of the right plan.
      for (const path of [`/api/plans/${'A'.repeat(65)}/me`, '/api/plans/a%2Fb/me', '/api/plans//me']) {
        const r = await raw('GET', path, '', auth(owner));
        expect([path, r.status, r.json.error]).toEqual([path, 404, 'notFound']);
      }
      const ghost = await raw(
        'PATCH',
        `/api/plans/${owner.planId}/members/nobody`,
        '{"name":"x"}',
        auth(owner),
      );
      expect([ghost.status, ghost.json.error]).toEqual([404, 'notFound']);
      const wrongMethod = await raw('PUT', `/api/plans/${owner.planId}/me`, '', auth(owner));
      expect([wrongMethod.status, wrongMethod.json.error]).toEqual([405, 'methodNotAllowed']);
    });
  });
});
