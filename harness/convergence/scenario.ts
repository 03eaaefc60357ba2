/**
 * One seeded scenario against the real sync server: an owner creates and shares a plan,
 * 2–4 others join by invite (co-editor, relative, therapist or network member), and then,
 * for a few dozen steps, devices edit all four docs while going offline (some for longer than
 * a token lives), reloading, dropping their connections, and the server restarts (SIGKILL
 * when it is a child process). At the end everyone comes back; every replica must equal the
 * server's copy, the server's copy must survive a restart, and the ledger must find every
 * edit present. The seed fixes the script; network timing is real, so a replay repeats the
 * script, not every interleaving (docs/reliability.md "Convergence fuzzing").
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { DOC_NAMES, type DocName } from '../../core/model/index.ts';
import { SyncApi, createPlan, inviteLink, joinPlan, sharePlan } from '../../core/sync/index.ts';
import type { Levels } from '../../core/access/index.ts';
import { Random } from '../random.ts';
import { FuzzClient, type Counters } from './client.ts';
import { differences, domainProblems, observe, sameState, type RawClient } from './compare.ts';
import { FuzzHost, type HostMode } from './host.ts';
import { Ledger } from './ledger.ts';
import { randomEdit } from './ops.ts';
import { attack, rawAttack, type AttackResult } from './attacker.ts';

export interface ScenarioOptions {
  readonly seed: number;
  /** 3–5 devices by default (drawn from the seed). */
  readonly clients?: number;
  /** `child` runs the server as a process and kills it with SIGKILL on most restarts. */
  readonly mode?: HostMode;
  /** Steps of the script; 30–79 by default (drawn from the seed). */
  readonly steps?: number;
  /** Token life on the server; an offline stretch longer than it makes tokens expire. */
  readonly tokenTtlSeconds?: number;
  /** How long the final reconnect may take before the run counts as diverged. */
  readonly convergeTimeoutMs?: number;
  /**
   * Now and then a member opens one more socket and sends hostile content (harness/convergence/attacker.ts).
   * Drawn from its own stream of the seed, so the script of a seed is the same either way.
   */
  readonly hostile?: boolean;
}

export interface ScenarioStats {
  edits: number;
  transactions: number;
  offline: number;
  longOffline: number;
  reloads: number;
  droppedRemotes: number;
  blips: number;
  restarts: number;
  kills: number;
  expiredTokens: number;
  /** Hostile sockets opened, and the frames they sent (harness/convergence/attacker.ts). */
  attacks: number;
  hostileFrames: number;
  /** The longest the event loop lagged during the scenario (all scenarios of the process). */
  lagMaxMs: number;
  /** Milliseconds: sharing and joining; the script; the final reconnect; the restart and checks. */
  setupMs: number;
  scriptMs: number;
  convergeMs: number;
  checkMs: number;
}

export interface ScenarioResult {
  readonly seed: number;
  readonly mode: HostMode;
  readonly roles: readonly string[];
  readonly ok: boolean;
  /** Replicas and server did not end identical (or did not converge in time). */
  readonly diverged: boolean;
  /** Ledger findings: edits made and not present at the end. */
  readonly lost: number;
  readonly failures: readonly string[];
  readonly trace: readonly string[];
  readonly stats: ScenarioStats;
  readonly kinds: Record<string, number>;
  readonly ms: number;
}

type Role = 'owner' | 'editor' | 'relative' | 'therapist' | 'network';

const INVITES: Record<
  Exclude<Role, 'owner'>,
  { role: 'other' | 'relative' | 'therapist' | 'network'; levels?: Levels }
> = {
  // Someone the owner lets change everything (a co-editing partner): writes on all four docs.
  editor: { role: 'other', levels: { goals: 'edit', plan: 'edit' } },
  relative: { role: 'relative' },
  therapist: { role: 'therapist' },
  network: { role: 'network' },
};

function pickRole(random: Random): Exclude<Role, 'owner'> {
  const roll = random.int(10);
  return roll < 3 ? 'editor' : roll < 6 ? 'relative' : roll < 9 ? 'therapist' : 'network';
}

/**
 * Tokens live 3–4 s (the server floors expiry to whole seconds): any offline stretch past it
 * is "days" to the client. Devices refresh them after half their life (see
 * `FuzzClient.tokenMarginMs`). Shorter lives fail the harness, not the product: with dozens
 * of scenarios in one process the event loop can lag two seconds, a token then expires
 * between its answer and the WebSocket upgrade, and four such 4401s end in signInFailed.
 */
const DEFAULT_TOKEN_TTL_SECONDS = 4;

/** All synced and nothing moving for this long: the replicas will not converge by themselves. */
const STUCK_MS = 3_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const { seed } = options;
  const random = new Random(seed);
  const hostile = options.hostile ? new Random(seed ^ 0x5bd1e995) : null;
  const mode = options.mode ?? 'inprocess';
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const ledger = new Ledger();
  const counters: Counters = { expiredTokens: 0, reloads: 0 };
  const stats: ScenarioStats = {
    edits: 0,
    transactions: 0,
    offline: 0,
    longOffline: 0,
    reloads: 0,
    droppedRemotes: 0,
    blips: 0,
    restarts: 0,
    kills: 0,
    expiredTokens: 0,
    attacks: 0,
    hostileFrames: 0,
    lagMaxMs: 0,
    setupMs: 0,
    scriptMs: 0,
    convergeMs: 0,
    checkMs: 0,
  };
  const kinds: Record<string, number> = {};
  const trace: string[] = [];
  const failures: string[] = [];
  let diverged = false;
  let lost = 0;
  const count = options.clients ?? 3 + random.int(3);
  const roles: Role[] = ['owner', ...Array.from({ length: count - 1 }, () => pickRole(random))];
  const steps = options.steps ?? 30 + random.int(50);
  const clients: FuzzClient[] = [];
  const observers: Record<DocName, RawClient>[] = [];
  let host: FuzzHost | null = null;
  const at = () => `${((Date.now() - started) / 1000).toFixed(2)}s`;
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();

  try {
    host = await FuzzHost.start({ mode, tokenTtlSeconds: ttl });
    const owner = new FuzzClient('owner', ledger, counters, (line) => trace.push(`${at()} ${line}`));
    owner.tokenMarginMs = (ttl * 1000) / 2;
    clients.push(owner);
    await owner.registry.ready;
    // As the extension does (hooks/registry.tsx): create or join, close, then open the plan
    // as a page (createPlan stamps the schema; opening only reads it).
    const created = await createPlan(owner.platform, owner.registry.doc, 'Kari');
    await created.destroy();
    await sharePlan(owner.fetch, owner.registry.doc, created.planId, { server: host.url, ownerName: 'Kari' });
    owner.adopt(created.planId);
    await owner.openSession();
    owner.connect();
    const api = new SyncApi(host.url, owner.fetch);
    for (let i = 1; i < count; i++) {
      const role = roles[i] as Exclude<Role, 'owner'>;
      const client = new FuzzClient(`${role}${i}`, ledger, counters, (line) => trace.push(`${at()} ${line}`));
      client.tokenMarginMs = (ttl * 1000) / 2;
      clients.push(client);
      await client.registry.ready;
      const { code } = await api.createInvite(owner.planId, owner.secret, INVITES[role]);
      const joined = await joinPlan(client.platform, client.fetch, client.registry.doc, {
        invite: inviteLink(host.url, code),
        name: client.name,
      });
      await joined.destroy();
      client.adopt(owner.planId);
      await client.openSession();
      client.connect();
    }
    stats.setupMs = Date.now() - started;
    trace.push(
      `${at()} plan ${owner.planId} shared with ${roles.join(', ')} on ${mode} server :${host.port}`,
    );

    const offlineFor = new Map<FuzzClient, number>();
    const remoteDownFor = new Map<FuzzClient, number>();
    let serverDownFor = 0;
    const countDown = (map: Map<FuzzClient, number>, c: FuzzClient) => {
      const left = (map.get(c) ?? 0) - 1;
      if (left <= 0) map.delete(c);
      else map.set(c, left);
      return left === 0;
    };
    const longWait = () => sleep(ttl * 1000 + 300 + random.int(1200));

    const stopServer = async (how: 'kill' | 'graceful') => {
      if (!host!.up) return;
      await host!.stop(how);
      stats.restarts += 1;
      if (how === 'kill') stats.kills += 1;
      serverDownFor = 2 + random.int(10);
      trace.push(`${at()} server ${how === 'kill' ? 'SIGKILL' : 'stopped'}`);
      if (random.chance(0.3)) await longWait();
    };
    // A child-process server is killed at least once, halfway through the script at the latest.
    const killAt = mode === 'child' ? Math.floor(steps / 2) : -1;
    const rawAttacks: Promise<AttackResult>[] = [];
    for (let step = 0; step < steps; step++) {
      for (const c of clients) {
        if (offlineFor.has(c) && countDown(offlineFor, c)) {
          c.goOnline();
          trace.push(`${at()} ${c.name} online`);
        }
        if (remoteDownFor.has(c) && countDown(remoteDownFor, c)) {
          c.connect();
          trace.push(`${at()} ${c.name} reconnects`);
        }
      }
      if (serverDownFor > 0 && --serverDownFor === 0) {
        await host.start();
        trace.push(`${at()} server up`);
      }
      const c = random.pick(clients)!;
      const roll = random.next();
      if (roll < 0.55) {
        const n = 1 + random.int(4);
        const done: string[] = [];
        for (let k = 0; k < n && c.session; k++) {
          const kind = randomEdit(random, {
            docs: c.session.docs,
            memberId: c.access!.memberId,
            canWrite: (d) => c.canWrite(d),
          });
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          if (kind !== 'none' && kind !== 'refused') stats.edits += 1;
          done.push(kind);
        }
        trace.push(`${at()} ${c.name} ${done.join(' ')}`);
      } else if (roll < 0.63) {
        await sleep(5 + random.int(60));
      } else if (roll < 0.71) {
        if (c.online) {
          c.goOffline();
          offlineFor.set(c, 3 + random.int(20));
          stats.offline += 1;
          const long = random.chance(0.35);
          trace.push(`${at()} ${c.name} offline${long ? ' (past token expiry)' : ''}`);
          if (long) {
            stats.longOffline += 1;
            await longWait();
          }
        }
      } else if (roll < 0.76) {
        trace.push(`${at()} ${c.name} reloads`);
        await c.reload();
      } else if (roll < 0.8) {
        if (c.remote) {
          c.disconnect();
          remoteDownFor.set(c, 2 + random.int(12));
          stats.droppedRemotes += 1;
          trace.push(`${at()} ${c.name} drops its connections`);
        }
      } else if (roll < 0.86) {
        const doc = random.pick(DOC_NAMES)!;
        c.blip(doc);
        stats.blips += 1;
      } else if (roll < (mode === 'child' ? 0.92 : 0.89)) {
        await stopServer(mode === 'child' && random.chance(0.7) ? 'kill' : 'graceful');
      }
      if (step === killAt && stats.kills === 0) await stopServer('kill');
      if (hostile && host.up && hostile.chance(0.1)) {
        const attacker = hostile.pick(clients)!;
        const doc = hostile.pick(DOC_NAMES.filter((d) => attacker.canRead(d)))!;
        const who = {
          url: host.url,
          member: {
            planId: attacker.planId,
            memberId: attacker.access!.memberId,
            secret: attacker.secret,
            role: attacker.access!.role,
            levels: attacker.levels!,
          },
          doc,
          writer: attacker.canWrite(doc),
          seed: hostile.int(2 ** 32),
        };
        if (hostile.chance(0.25)) {
          // Below ws, for seconds: collected before the final check.
          const restartsBefore = stats.restarts;
          trace.push(`${at()} ${attacker.name} starts a raw frame on ${doc}`);
          rawAttacks.push(
            rawAttack(who, () => stats.restarts !== restartsBefore || !host!.up).then((r) => ({
              ...r,
              problems: r.problems.map((p) => `hostile ${attacker.name}: ${p}`),
            })),
          );
        }
        const done = await attack(who);
        stats.attacks += 1;
        stats.hostileFrames += done.kinds.length;
        for (const k of done.kinds) kinds[`hostile ${k}`] = (kinds[`hostile ${k}`] ?? 0) + 1;
        trace.push(`${at()} ${attacker.name} attacks ${doc}: ${done.kinds.join(' ')}`);
        failures.push(...done.problems.map((p) => `hostile ${attacker.name} on ${doc}: ${p}`));
        const health = await fetch(`${host.url}/healthz`).catch(() => null);
        if (health?.status !== 200)
          failures.push(`/healthz after an attack: ${health?.status ?? 'no answer'}`);
      }
      await sleep(random.chance(0.3) ? 0 : random.int(20));
    }

    for (const r of await Promise.all(rawAttacks)) {
      stats.attacks += 1;
      stats.hostileFrames += r.kinds.length;
      for (const k of r.kinds) kinds[`hostile ${k}`] = (kinds[`hostile ${k}`] ?? 0) + 1;
      failures.push(...r.problems);
    }
    stats.scriptMs = Date.now() - started - stats.setupMs;
    // Everyone comes back.
    if (!host.up) await host.start();
    for (const c of clients) {
      c.goOnline();
      c.connect();
    }
    trace.push(`${at()} all back online`);
    const converging = Date.now();
    const observer = await observe(host, owner);
    observers.push(observer);
    const readable = (c: FuzzClient) => DOC_NAMES.filter((d) => c.canRead(d));
    // Converged: every device synced and equal to the server. Stuck: every device synced and
    // nothing has changed anywhere for STUCK_MS; y-websocket exchanges state only on connect,
    // so a difference that outlives that is permanent.
    let fingerprint = '';
    let stableSince = Date.now();
    let stuck = false;
    const settled = await waitUntil(() => {
      const synced = clients.every((c) => c.remote?.status.getSnapshot().kind === 'synced');
      if (
        synced &&
        clients.every((c) => readable(c).every((d) => sameState(c.session!.docs[d], observer[d].doc)))
      )
        return true;
      const now = [
        ...clients.map((c) => c.session!.docs),
        Object.fromEntries(DOC_NAMES.map((d) => [d, observer[d].doc])),
      ]
        .map((docs) => DOC_NAMES.map((d) => Y.encodeStateVector(docs[d as DocName]).join(',')).join(';'))
        .join('|');
      if (now !== fingerprint || !synced) {
        fingerprint = now;
        stableSince = Date.now();
      }
      stuck = Date.now() - stableSince > STUCK_MS;
      return stuck;
    }, options.convergeTimeoutMs ?? 40_000);
    stats.convergeMs = Date.now() - converging;
    trace.push(
      `${at()} ${!settled ? 'still moving at the timeout' : stuck ? 'stuck, not converged' : 'converged'}`,
    );
    for (const c of clients) {
      const status = c.remote?.status.getSnapshot();
      if (status?.kind !== 'synced') failures.push(`${c.name}: status ${JSON.stringify(status)} at the end`);
      for (const d of readable(c)) {
        const diff = differences(c.session!.docs[d], observer[d].doc, d);
        if (diff.length > 0) failures.push(`${c.name} ${d} differs from the server: ${diff.join('; ')}`);
      }
    }
    diverged = failures.length > 0;

    const checking = Date.now();
    // The server's copy must be its durable copy: restart it with nobody connected, read again.
    for (const c of clients) c.disconnect();
    for (const d of DOC_NAMES) observer[d].destroy();
    observers.pop();
    await host.stop('graceful');
    await host.start();
    const durable = await observe(host, owner);
    observers.push(durable);
    const docs = Object.fromEntries(DOC_NAMES.map((d) => [d, durable[d].doc])) as Record<DocName, Y.Doc>;
    for (const d of DOC_NAMES) {
      const reference = clients.find((c) => c.canRead(d));
      if (!reference) continue;
      const diff = differences(reference.session!.docs[d], docs[d], d);
      if (diff.length > 0) {
        diverged = true;
        failures.push(`${d} after a server restart differs from ${reference.name}: ${diff.join('; ')}`);
      }
    }
    failures.push(...domainProblems(docs));
    for (const d of DOC_NAMES) {
      const found = ledger.check(d, docs[d]);
      lost += found.length;
      failures.push(...found);
    }
    stats.checkMs = Date.now() - checking;
  } catch (error) {
    failures.push(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    lag.disable();
    stats.lagMaxMs = Math.round(lag.max / 1e6);
    stats.transactions = ledger.transactions;
    stats.reloads = counters.reloads;
    stats.expiredTokens = counters.expiredTokens;
    for (const o of observers) for (const d of DOC_NAMES) o[d].destroy();
    for (const c of clients) await c.close().catch(() => {});
    if (host && failures.length > 0) {
      const out = host.output();
      if (out) trace.push(`server output:\n${out.slice(-3000)}`);
    }
    await host?.dispose().catch(() => {});
  }
  return {
    seed,
    mode,
    roles,
    ok: failures.length === 0,
    diverged,
    lost,
    failures,
    trace,
    stats,
    kinds,
    ms: Date.now() - started,
  };
}

/** A failure report: the seed first, so it can be replayed and kept as a regression test. */
export function describeFailure(result: ScenarioResult, traceLines = 60): string {
  return [
    `seed ${result.seed} (${result.mode}, ${result.roles.join(', ')}): ${result.failures.length} problem(s)` +
      `${result.diverged ? ', diverged' : ''}${result.lost ? `, ${result.lost} lost` : ''}` +
      `; event loop lagged up to ${result.stats.lagMaxMs} ms`,
    ...result.failures.slice(0, 15).map((f) => `  ✗ ${f}`),
    '  trace:',
    ...result.trace.slice(-traceLines).map((t) => `    ${t}`),
  ].join('\n');
}
