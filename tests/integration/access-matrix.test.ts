// @vitest-environment node
/**
 * The access matrix of issue 4, generated: every role preset (the participant owner, relative,
 * therapist, network) and a member with custom levels × every doc × every operation (connect,
 * read content, write content or notes, presence, the HTTP calls), checked after every kind of
 * membership change (fresh join, role change, levels up and down, revoke or leave, re-invite as
 * a new member, plan deletion). A real server on port 0 and the real y-websocket client.
 *
 * Expectations come from DESIGN.md's rules, written out here, not from core/access (which
 * access.test.ts compares to DESIGN.md separately). Each phase collects every mismatch and
 * fails with the whole list; the number of checked combinations is printed at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { InviteRole, Levels } from '../../core/access/index.ts';
import { DOC_NAMES, type DocName } from '../../core/model/schema.ts';
import {
  call,
  connect,
  createInvite,
  redeem,
  registerPlan,
  token,
  waitFor,
  type Client,
  type Member,
  type TestServer,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

// ---- DESIGN.md "Documents" and "Access", by hand ----

const SCOPE: Record<DocName, 'goals' | 'plan'> = {
  goals: 'goals',
  'goals-notes': 'goals',
  plan: 'plan',
  'plan-notes': 'plan',
};
const RANK = { none: 0, view: 1, comment: 2, edit: 3 } as const;
const isNotes = (doc: DocName) => doc.endsWith('-notes');
const mayRead = (levels: Levels, doc: DocName) => RANK[levels[SCOPE[doc]]] >= RANK.view;
const mayWrite = (levels: Levels, doc: DocName) =>
  RANK[levels[SCOPE[doc]]] >= (isNotes(doc) ? RANK.comment : RANK.edit);

const PRESETS: Record<'relative' | 'therapist' | 'network', Levels> = {
  relative: { goals: 'comment', plan: 'edit' },
  therapist: { goals: 'comment', plan: 'edit' },
  network: { goals: 'none', plan: 'view' },
};
const CUSTOM: Levels = { goals: 'view', plan: 'comment' };

/** The close codes of docs/protocol.md, by hand. */
const CLOSED = { forbidden: 4403, notFound: 4404, revoked: 4410 } as const;

// ---- who is checked ----

type State =
  | { kind: 'active'; levels: Levels; owner: boolean }
  | { kind: 'revoked' }
  /** The plan was deleted. */
  | { kind: 'gone' };

interface Subject {
  label: string;
  name: string;
  member: Member;
  state: State;
  /** The last connection token issued while active: a revoked member may still hold one. */
  lastToken: string;
}

interface Live {
  client: Client;
  /** The awareness probe this connection announced. */
  probe: string;
}

interface Track {
  label: string;
  owner: Subject;
  subjects: Subject[];
  /** The owner's own connections, open from the start: they observe writes and presence. */
  observers: Record<DocName, Client>;
  live: Map<Subject, Partial<Record<DocName, Live>>>;
}

interface TrackSpec {
  label: string;
  role: InviteRole;
  levels?: Levels;
  roleChange: 'relative' | 'therapist' | 'network';
  removal: 'revoke' | 'leave';
}

const TRACKS: TrackSpec[] = [
  { label: 'relative', role: 'relative', roleChange: 'network', removal: 'revoke' },
  { label: 'therapist', role: 'therapist', roleChange: 'relative', removal: 'leave' },
  { label: 'network member', role: 'network', roleChange: 'therapist', removal: 'revoke' },
  { label: 'custom-levels member', role: 'other', levels: CUSTOM, roleChange: 'network', removal: 'leave' },
];

interface PhaseSpec {
  name: string;
  change(t: TestServer, track: Track, spec: TrackSpec): Promise<void>;
}

const startLevels = (spec: TrackSpec): Levels =>
  spec.role === 'other' ? spec.levels! : PRESETS[spec.role as keyof typeof PRESETS];

async function patchLevels(t: TestServer, track: Track, body: unknown): Promise<Levels> {
  const subject = track.subjects.at(-1)!;
  const r = await call(
    t.url,
    'PATCH',
    `/api/plans/${track.owner.member.planId}/members/${subject.member.memberId}`,
    {
      secret: track.owner.member.secret,
      body,
    },
  );
  if (r.status !== 200) throw new Error(`PATCH failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.levels as Levels;
}

async function invite(t: TestServer, track: Track, spec: TrackSpec, name: string): Promise<Subject> {
  const code = await createInvite(t.url, track.owner.member, spec.role, spec.levels);
  const member = await redeem(t.url, code, name);
  return {
    label: `${spec.label} ${name}`,
    name,
    member,
    state: { kind: 'active', levels: startLevels(spec), owner: false },
    lastToken: (await token(t.url, member)).token,
  };
}

function setLevels(track: Track, levels: Levels, expectedFromServer: Levels): void {
  const subject = track.subjects.at(-1)!;
  subject.state = { kind: 'active', levels, owner: false };
  // The server's answer must say the same as the test's expectation.
  if (JSON.stringify(expectedFromServer) !== JSON.stringify(levels))
    throw new Error(
      `server answered levels ${JSON.stringify(expectedFromServer)}, expected ${JSON.stringify(levels)}`,
    );
}

const levelsChange = (name: string, levels: Levels): PhaseSpec => ({
  name,
  change: async (t, track) => setLevels(track, levels, await patchLevels(t, track, { levels })),
});

const PHASES: PhaseSpec[] = [
  {
    name: 'fresh join',
    change: async (t, track, spec) => {
      track.subjects.push(await invite(t, track, spec, 'Ada'));
    },
  },
  {
    name: 'role change',
    change: async (t, track, spec) =>
      setLevels(track, PRESETS[spec.roleChange], await patchLevels(t, track, { role: spec.roleChange })),
  },
  levelsChange('levels up to edit everywhere', { goals: 'edit', plan: 'edit' }),
  levelsChange('levels down to comment and view', { goals: 'comment', plan: 'view' }),
  levelsChange('levels down to none at all', { goals: 'none', plan: 'none' }),
  levelsChange('levels up from none to view and comment', { goals: 'view', plan: 'comment' }),
  {
    name: 'removal (revoked by the owner, or the member leaves)',
    change: async (t, track, spec) => {
      const subject = track.subjects.at(-1)!;
      const by = spec.removal === 'revoke' ? track.owner.member : subject.member;
      const r = await call(
        t.url,
        'DELETE',
        `/api/plans/${subject.member.planId}/members/${subject.member.memberId}`,
        {
          secret: by.secret,
        },
      );
      if (r.status !== 204) throw new Error(`removal failed: ${r.status}`);
      subject.state = { kind: 'revoked' };
    },
  },
  {
    name: 're-invite as a new member',
    change: async (t, track, spec) => {
      track.subjects.push(await invite(t, track, spec, 'Ada again'));
    },
  },
  {
    name: 'the owner deletes the plan',
    change: async (t, track) => {
      const r = await call(t.url, 'DELETE', `/api/plans/${track.owner.member.planId}`, {
        secret: track.owner.member.secret,
      });
      if (r.status !== 204) throw new Error(`delete failed: ${r.status}`);
      for (const s of [track.owner, ...track.subjects]) s.state = { kind: 'gone' };
    },
  },
];

// ---- the checks ----

const server = withServer();
let checked = 0;
let phasesRun = 0;

class Checks {
  readonly failures: string[] = [];
  constructor(private readonly where: string) {}
  /** One combination: `ok` must hold. */
  that(what: string, ok: boolean, detail = ''): void {
    checked++;
    if (!ok) this.failures.push(`${this.where}: ${what}${detail ? ` (${detail})` : ''}`);
  }
  /** One combination whose check may itself throw (a timeout while waiting = not ok). */
  async run(what: string, check: () => Promise<boolean | string>): Promise<void> {
    let result: boolean | string;
    try {
      result = await check();
    } catch (error) {
      result = (error as Error).message;
    }
    this.that(what, result === true, typeof result === 'string' ? result : '');
  }
}

const probeMap = (doc: Y.Doc) => doc.getMap<string>('probe');
const expectedClose = (state: State): number =>
  state.kind === 'gone' ? CLOSED.notFound : state.kind === 'revoked' ? CLOSED.revoked : CLOSED.forbidden;
const canRead = (state: State, doc: DocName) => state.kind === 'active' && mayRead(state.levels, doc);
const canWrite = (state: State, doc: DocName) => state.kind === 'active' && mayWrite(state.levels, doc);

/** What the server holds in a doc now, read by a fresh connection of the owner. */
async function serverProbe(track: Track, doc: DocName): Promise<Record<string, string>> {
  const c = await connect(server, track.owner.member, doc);
  try {
    await c.synced();
    return probeMap(c.doc).toJSON() as Record<string, string>;
  } finally {
    c.destroy();
  }
}

/** Presence states the owner sees in a doc. */
function presence(track: Track, doc: DocName): { probe?: string; user?: Record<string, unknown> }[] {
  return [...track.observers[doc].provider.awareness.getStates().values()] as {
    probe?: string;
    user?: Record<string, unknown>;
  }[];
}

/** Opens a connection as `subject` that announces `probe` and claims to be someone else. */
async function open(subject: Subject, doc: DocName, probe: string): Promise<Client> {
  const tokenValue =
    subject.state.kind === 'active'
      ? (subject.lastToken = (await token(server.url, subject.member)).token)
      : subject.lastToken;
  const c = await connect(server, subject.member, doc, { tokenValue });
  c.provider.awareness.setLocalStateField('probe', probe);
  c.provider.awareness.setLocalStateField('user', {
    memberId: 'forged',
    name: 'Mallory',
    role: 'participant',
  });
  return c;
}

/** Either synced (when it may read) or closed with `code`; never both. */
async function settle(c: Client, mayReadIt: boolean, code: number): Promise<true | string> {
  if (mayReadIt) {
    await c.synced();
    return c.closes.length === 0 ? true : `closed ${c.closes[0]!.code}`;
  }
  await waitFor(() => c.closes.length > 0, { what: `close ${code}` });
  if (c.closes[0]!.code !== code) return `closed ${c.closes[0]!.code}, expected ${code}`;
  return c.provider.synced ? 'synced although refused' : true;
}

interface Written {
  present: Map<DocName, string[]>;
  absent: Map<DocName, string[]>;
}

/**
 * Writes `key` through `c` and checks the outcome: an allowed write reaches the owner, a
 * refused one is answered `permission-denied` (or cannot be sent: the connection is closed).
 */
async function write(
  checks: Checks,
  what: string,
  track: Track,
  c: Client,
  doc: DocName,
  key: string,
  allowed: boolean,
  written: Written,
): Promise<void> {
  const connected = c.closes.length === 0;
  const deniedBefore = c.denied.length;
  probeMap(c.doc).set(key, 'written');
  (allowed ? written.present : written.absent).get(doc)!.push(key);
  await checks.run(what, async () => {
    if (allowed) {
      await waitFor(() => probeMap(track.observers[doc].doc).get(key) === 'written', {
        what: 'write arrives',
      });
      return c.denied.length === deniedBefore ? true : 'permission-denied on an allowed write';
    }
    if (connected) await waitFor(() => c.denied.length > deniedBefore, { what: 'permission-denied' });
    return true;
  });
}

/** Checks, then closes, the connections `subject` held before the change. */
async function checkLive(checks: Checks, track: Track, subject: Subject, phase: string, written: Written) {
  const held = track.live.get(subject) ?? {};
  track.live.delete(subject);
  await Promise.all(
    (Object.entries(held) as [DocName, Live][]).map(async ([doc, { client, probe }]) => {
      const state = subject.state;
      const keeps = canRead(state, doc);
      await checks.run(
        `${subject.label} live ${doc}: connection ${keeps ? 'kept' : 'closed within 1 s'}`,
        async () => {
          if (keeps) return client.closes.length === 0 ? true : `closed ${client.closes[0]!.code}`;
          await waitFor(() => client.closes.length > 0, { timeout: 1000, what: 'close' });
          return client.closes[0]!.code === expectedClose(state) ? true : `closed ${client.closes[0]!.code}`;
        },
      );
      if (state.kind !== 'gone') {
        const marker = `live-read|${phase}|${subject.label}|${doc}`;
        probeMap(track.observers[doc].doc).set(marker, 'owner');
        written.present.get(doc)!.push(marker);
        await checks.run(`${subject.label} live ${doc}: read ${keeps ? 'goes on' : 'stops'}`, async () => {
          if (keeps) {
            await waitFor(() => probeMap(client.doc).get(marker) === 'owner', { what: 'live read' });
            return true;
          }
          // Closed: give a stray message time to arrive, then nothing may have.
          await waitFor(() => probeMap(track.observers[doc].doc).has(marker));
          await new Promise((r) => setTimeout(r, 100));
          return probeMap(client.doc).has(marker) ? 'received content after losing access' : true;
        });
        await write(
          checks,
          `${subject.label} live ${doc}: write ${canWrite(state, doc) ? 'accepted' : 'refused'}`,
          track,
          client,
          doc,
          `live-write|${phase}|${subject.label}|${doc}`,
          canWrite(state, doc),
          written,
        );
        await checks.run(`${subject.label} live ${doc}: presence ${keeps ? 'kept' : 'removed'}`, async () => {
          const seen = () => presence(track, doc).some((s) => s.probe === probe);
          if (keeps) return seen() ? true : 'presence gone';
          await waitFor(() => !seen(), { timeout: 1000, what: 'presence removed' });
          return true;
        });
      }
      client.destroy();
    }),
  );
}

/** A fresh connection to every doc: connect, read, write, presence. */
async function checkFresh(checks: Checks, track: Track, subject: Subject, phase: string, written: Written) {
  const state = subject.state;
  await Promise.all(
    DOC_NAMES.map(async (doc) => {
      const reads = canRead(state, doc);
      const probe = `presence|${phase}|${subject.label}|${doc}`;
      let c: Client;
      try {
        c = await open(subject, doc, probe);
      } catch (error) {
        checks.that(`${subject.label} ${doc}: connect`, false, (error as Error).message);
        return;
      }
      try {
        await checks.run(`${subject.label} ${doc}: connect ${reads ? 'accepted' : 'refused'}`, () =>
          settle(c, reads, expectedClose(state)),
        );
        const marker = `marker|${phase}|${doc}`;
        checks.that(
          `${subject.label} ${doc}: read ${reads ? 'gets' : 'never gets'} the content`,
          (probeMap(c.doc).get(marker) === 'owner') === reads,
        );
        await write(
          checks,
          `${subject.label} ${doc}: write ${isNotes(doc) ? 'notes' : 'content'} ${canWrite(state, doc) ? 'accepted' : 'refused'}`,
          track,
          c,
          doc,
          `fresh-write|${phase}|${subject.label}|${doc}`,
          canWrite(state, doc),
          written,
        );
        if (state.kind === 'gone') return;
        await checks.run(
          `${subject.label} ${doc}: presence ${reads ? 'shown, stamped by the server' : 'never shown'}`,
          async () => {
            const mine = () => presence(track, doc).find((s) => s.probe === probe);
            if (!reads) return mine() === undefined ? true : 'presence of a refused connection';
            await waitFor(() => mine() !== undefined, { what: 'presence' });
            const user = mine()!.user ?? {};
            return user.memberId === subject.member.memberId && user.name === subject.name
              ? true
              : `presence user ${JSON.stringify(user)}`;
          },
        );
      } finally {
        c.destroy();
      }
    }),
  );
}

/** Every HTTP call a member can make, with the answer their state must get. */
async function checkHttp(checks: Checks, track: Track, subject: Subject, markers: string[]) {
  const { planId, memberId, secret } = subject.member;
  const ownerId = track.owner.member.memberId;
  const state = subject.state;
  const isOwner = state.kind === 'active' && state.owner;
  const refusal =
    state.kind === 'gone'
      ? { status: 401, error: 'unauthenticated' }
      : state.kind === 'revoked'
        ? { status: 403, error: 'revoked' }
        : null;
  const ownerOnly = refusal ?? { status: 403, error: 'forbidden' };
  const expectStatus = async (
    what: string,
    method: string,
    path: string,
    ok: number,
    refused: { status: number; error: string } | null,
    body?: unknown,
    extra?: (json: unknown) => true | string,
  ) =>
    checks.run(`${subject.label} HTTP ${what}: ${refused ? refused.status : ok}`, async () => {
      const r = await call(server.url, method, path, { secret, body });
      if (refused) {
        return r.status === refused.status && r.json?.error === refused.error
          ? true
          : `${r.status} ${JSON.stringify(r.json)}`;
      }
      if (r.status !== ok) return `${r.status} ${JSON.stringify(r.json)}`;
      return extra ? extra(r.json) : true;
    });
  const levelsAre = (json: unknown) => {
    const levels = (json as { levels?: unknown }).levels;
    return state.kind === 'active' && JSON.stringify(levels) === JSON.stringify(state.levels)
      ? (true as const)
      : `levels ${JSON.stringify(levels)}`;
  };
  await expectStatus('GET /me', 'GET', `/api/plans/${planId}/me`, 200, refusal, undefined, levelsAre);
  await expectStatus(
    'POST /tokens',
    'POST',
    `/api/plans/${planId}/tokens`,
    200,
    refusal,
    undefined,
    levelsAre,
  );
  await expectStatus('GET /members', 'GET', `/api/plans/${planId}/members`, 200, isOwner ? null : ownerOnly);
  await expectStatus(
    'POST /invites',
    'POST',
    `/api/plans/${planId}/invites`,
    201,
    isOwner ? null : ownerOnly,
    {
      role: 'network',
    },
  );
  await expectStatus(
    'GET /audit',
    'GET',
    `/api/plans/${planId}/audit?limit=1000`,
    200,
    isOwner ? null : ownerOnly,
    undefined,
    (json) => {
      const text = JSON.stringify(json);
      // Never content: none of the texts written into the docs is in the log.
      const leaked = markers.find((m) => text.includes(m));
      return leaked ? `audit log holds content ${leaked}` : true;
    },
  );
  if (isOwner) {
    await expectStatus(
      'PATCH own levels',
      'PATCH',
      `/api/plans/${planId}/members/${memberId}`,
      409,
      {
        status: 409,
        error: 'ownerImmutable',
      },
      { levels: { goals: 'view', plan: 'view' } },
    );
  } else {
    await expectStatus(
      'PATCH own levels up',
      'PATCH',
      `/api/plans/${planId}/members/${memberId}`,
      200,
      ownerOnly,
      {
        levels: { goals: 'edit', plan: 'edit' },
      },
    );
    await expectStatus(
      'DELETE the owner',
      'DELETE',
      `/api/plans/${planId}/members/${ownerId}`,
      204,
      ownerOnly,
    );
    await expectStatus('DELETE the plan', 'DELETE', `/api/plans/${planId}`, 204, ownerOnly);
  }
}

/** Opens the connections `subject` will hold through the next change. */
async function openLive(track: Track, subject: Subject, phase: string) {
  if (subject.state.kind !== 'active') return;
  const held: Partial<Record<DocName, Live>> = {};
  for (const doc of DOC_NAMES) {
    if (!mayRead(subject.state.levels, doc)) continue;
    const probe = `live|${phase}|${subject.label}|${doc}`;
    const client = await open(subject, doc, probe);
    await client.synced();
    await waitFor(() => presence(track, doc).some((s) => s.probe === probe), { what: 'live presence' });
    held[doc] = { client, probe };
  }
  track.live.set(subject, held);
}

async function runPhase(track: Track, spec: TrackSpec, phase: PhaseSpec): Promise<string[]> {
  const checks = new Checks(`${track.label} / ${phase.name}`);
  const written: Written = {
    present: new Map(DOC_NAMES.map((d) => [d, []])),
    absent: new Map(DOC_NAMES.map((d) => [d, []])),
  };
  await phase.change(server, track, spec);
  const gone = track.owner.state.kind === 'gone';

  // The owner's own connections are live ones too.
  if (gone) {
    for (const doc of DOC_NAMES) {
      await checks.run(`owner live ${doc}: closed on deletion`, async () => {
        const c = track.observers[doc];
        await waitFor(() => c.closes.length > 0, { timeout: 1000, what: 'close' });
        return c.closes[0]!.code === CLOSED.notFound ? true : `closed ${c.closes[0]!.code}`;
      });
    }
  }
  for (const subject of track.subjects) await checkLive(checks, track, subject, phase.name, written);

  // Content each fresh connection must (or must not) receive.
  if (!gone) {
    for (const doc of DOC_NAMES)
      probeMap(track.observers[doc].doc).set(`marker|${phase.name}|${doc}`, 'owner');
    for (const doc of DOC_NAMES) {
      const marker = `marker|${phase.name}|${doc}`;
      // Durable on the server before anyone reads (an owner's fresh connection sees it).
      for (let i = 0; i < 50 && (await serverProbe(track, doc))[marker] !== 'owner'; i++)
        await new Promise((r) => setTimeout(r, 20));
    }
  }
  for (const subject of [track.owner, ...track.subjects])
    await checkFresh(checks, track, subject, phase.name, written);

  if (!gone) {
    for (const doc of DOC_NAMES) {
      const held = await serverProbe(track, doc);
      for (const key of written.present.get(doc)!) checks.that(`server holds ${key}`, key in held);
      for (const key of written.absent.get(doc)!) checks.that(`server never took ${key}`, !(key in held));
    }
  }
  const markers = DOC_NAMES.flatMap((d) => [...written.present.get(d)!, ...written.absent.get(d)!]);
  for (const subject of [track.owner, ...track.subjects]) await checkHttp(checks, track, subject, markers);
  for (const subject of track.subjects) await openLive(track, subject, phase.name);
  phasesRun++;
  return checks.failures;
}

afterAll(async () => {
  console.log(
    `access matrix: ${checked} combinations checked in ${phasesRun} phases (${TRACKS.length} members × ${PHASES.length} membership changes, owner included in each)`,
  );
});

describe.each(TRACKS.map((spec) => [spec.label, spec] as const))(
  'access of a %s and of the owner',
  (_label, spec) => {
    let track: Track;

    beforeAll(async () => {
      const owner = await registerPlan(server.url, 'Kari');
      const ownerSubject: Subject = {
        label: 'owner',
        name: 'Kari',
        member: owner,
        state: { kind: 'active', levels: { goals: 'edit', plan: 'edit' }, owner: true },
        lastToken: (await token(server.url, owner)).token,
      };
      const observers = {} as Record<DocName, Client>;
      for (const doc of DOC_NAMES) {
        observers[doc] = await connect(server, owner, doc);
        await observers[doc].synced();
      }
      track = { label: spec.label, owner: ownerSubject, subjects: [], observers, live: new Map() };
    });

    afterAll(() => {
      for (const held of track.live.values()) for (const live of Object.values(held)) live.client.destroy();
      for (const c of Object.values(track.observers)) c.destroy();
    });

    it.each(PHASES.map((p) => [p.name, p] as const))(
      'allows exactly what DESIGN.md allows after: %s',
      async (_name, phase) => {
        const failures = await runPhase(track, spec, phase);
        expect(failures).toEqual([]);
      },
      60_000,
    );
  },
);
