/**
 * How the fuzz compares replicas with the server's copy: state vectors, delete sets, every
 * root map's JSON and what a person sees; and the server's copy read by a fresh observer.
 */
import * as Y from 'yjs';
import {
  DOC_NAMES,
  ZONES,
  readGoalBoard,
  readNotes,
  readServicePlan,
  richTextPlain,
  type DocName,
} from '../../core/model/index.ts';
import { connect as connectRaw, type Client as RawClient } from '../server.ts';
import type { FuzzClient } from './client.ts';
import type { FuzzHost } from './host.ts';

export type { RawClient };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The root maps of the schema (DESIGN.md "Documents"). */
const ROOTS = ['meta', 'goals', 'sections', 'contacts', 'threads'];

/** What a person sees of one doc, rich text as text. */
function view(doc: Y.Doc, name: DocName): unknown {
  if (name === 'goals') {
    const board = readGoalBoard(doc);
    return { ...board, goals: board.goals.map((g) => ({ ...g, why: richTextPlain(g.why) })) };
  }
  if (name === 'plan') {
    const plan = readServicePlan(doc);
    return { ...plan, sections: plan.sections.map((s) => ({ ...s, body: richTextPlain(s.body) })) };
  }
  return readNotes(doc);
}

export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return (
    equalBytes(Y.encodeStateVector(a), Y.encodeStateVector(b)) &&
    Y.equalDeleteSets(Y.createDeleteSetFromStructStore(a.store), Y.createDeleteSetFromStructStore(b.store))
  );
}

/** JSON with object keys sorted: a Y.Map's key order is the order its keys arrived in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Every root map's toJSON (a doc lists only the roots it has been asked for). */
function contents(doc: Y.Doc, other: Y.Doc): Record<string, unknown> {
  const names = new Set([...ROOTS, ...doc.share.keys(), ...other.share.keys()]);
  return Object.fromEntries([...names].map((n) => [n, doc.getMap(n).toJSON()]));
}

/** Deleted clocks per client, as a set (fuzz docs are small). */
function deletedClocks(doc: Y.Doc): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const ds = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, items] of ds.clients) {
    const clocks = new Set<number>();
    for (const item of items) for (let c = item.clock; c < item.clock + item.len; c++) clocks.add(c);
    out.set(client, clocks);
  }
  return out;
}

/** What struct holds `client:clock` in `doc`, and under which root, in a few words. */
function structAt(doc: Y.Doc, client: number, clock: number): string {
  const structs = doc.store.clients.get(client);
  if (!structs) return 'absent';
  let struct: Y.Item | Y.GC;
  try {
    struct = structs[Y.findIndexSS(structs, clock)] as Y.Item | Y.GC;
  } catch {
    return 'absent';
  }
  if (!(struct instanceof Y.Item)) return `${struct.constructor.name}`;
  let root: Y.Item = struct;
  while (root.parent instanceof Y.AbstractType && root.parent._item) root = root.parent._item;
  const rootName = [...doc.share].find(([, t]) => t === root.parent)?.[0] ?? '?';
  const content = struct.content.constructor.name;
  const parentDeleted = struct.parent instanceof Y.AbstractType && struct.parent._item?.deleted;
  return `${content} under ${rootName}${struct.parentSub ? `.${struct.parentSub}` : ''}${parentDeleted ? ', parent deleted' : ''}, deleted ${struct.deleted}`;
}

/**
 * Which clocks only one side counts as deleted, and what holds them on each side (for a
 * failing seed's report: the first few).
 */
function deleteSetDifference(a: Y.Doc, b: Y.Doc): string {
  const da = deletedClocks(a);
  const db = deletedClocks(b);
  const found: string[] = [];
  for (const client of new Set([...da.keys(), ...db.keys()])) {
    const ca = da.get(client) ?? new Set<number>();
    const cb = db.get(client) ?? new Set<number>();
    for (const [only, side] of [
      [[...ca].filter((c) => !cb.has(c)), 'first'],
      [[...cb].filter((c) => !ca.has(c)), 'second'],
    ] as const) {
      if (only.length === 0) continue;
      const clock = Math.min(...only);
      found.push(
        `client ${client}: ${only.length} clock(s) from ${clock} deleted only in the ${side}; ` +
          `first: ${structAt(a, client, clock)}; second: ${structAt(b, client, clock)}`,
      );
    }
  }
  return found.slice(0, 4).join(' | ');
}

/** Where `a` and `b` differ, in words; empty when identical. */
export function differences(a: Y.Doc, b: Y.Doc, name: DocName): string[] {
  const out: string[] = [];
  const svA = Y.decodeStateVector(Y.encodeStateVector(a));
  const svB = Y.decodeStateVector(Y.encodeStateVector(b));
  for (const client of new Set([...svA.keys(), ...svB.keys()])) {
    if (svA.get(client) !== svB.get(client))
      out.push(`state vector: client ${client} at ${svA.get(client) ?? 0} vs ${svB.get(client) ?? 0}`);
  }
  if (
    !Y.equalDeleteSets(Y.createDeleteSetFromStructStore(a.store), Y.createDeleteSetFromStructStore(b.store))
  )
    out.push(`delete sets differ (${deleteSetDifference(a, b)})`);
  if (a.store.pendingStructs || a.store.pendingDs) out.push('waits for missing updates');
  if (canonical(contents(a, b)) !== canonical(contents(b, a))) out.push('toJSON differs');
  if (canonical(view(a, name)) !== canonical(view(b, name))) out.push('what a person sees differs');
  return out;
}

/** The server's copy, read by a fresh observer: raw y-websocket providers with the owner's secret. */
export async function observe(host: FuzzHost, owner: FuzzClient): Promise<Record<DocName, RawClient>> {
  const member = {
    planId: owner.planId,
    memberId: owner.access!.memberId,
    secret: owner.secret,
    role: owner.access!.role,
    levels: owner.levels!,
  };
  const target = { url: host.url, wsUrl: `${host.url.replace(/^http/, 'ws')}/sync` };
  const out = {} as Record<DocName, RawClient>;
  for (const doc of DOC_NAMES) {
    // Node's fetch may hand the token request to a pooled socket of the server's previous
    // life, and a raw provider does not renew a token that expired before it connected.
    for (let attempt = 0; ; attempt++) {
      let client: RawClient | null = null;
      try {
        client = await connectRaw(target, member, doc);
        await client.synced();
        out[doc] = client;
        break;
      } catch (error) {
        client?.destroy();
        if (attempt >= 10) throw error;
        await sleep(100);
      }
    }
  }
  return out;
}

/** Domain rules that hold whatever happened: no duplicates, no malformed items, zones grouped. */
export function domainProblems(docs: Record<DocName, Y.Doc>): string[] {
  const out: string[] = [];
  const board = readGoalBoard(docs.goals);
  const plan = readServicePlan(docs.plan);
  const problems = [
    ...board.problems,
    ...plan.problems,
    ...readNotes(docs['goals-notes']).problems,
    ...readNotes(docs['plan-notes']).problems,
  ];
  if (problems.length > 0) out.push(`readers report problems: ${JSON.stringify(problems.slice(0, 3))}`);
  const standard = plan.sections.filter((s) => s.kind !== 'custom').length;
  if (standard !== 12) out.push(`${standard} standard sections, not 12`);
  const zones = plan.sections.map((s) => ZONES.indexOf(s.zone));
  if (zones.some((z, i) => i > 0 && z < zones[i - 1]!)) out.push('sections are not grouped by zone');
  const ids = [
    ...board.goals.map((g) => g.id),
    ...board.goals.flatMap((g) => g.subgoals.map((s) => s.id)),
    ...board.goals.flatMap((g) => g.subgoals.flatMap((s) => s.steps.map((t) => t.id))),
    ...plan.sections.map((s) => s.id),
    ...plan.contacts.map((c) => c.id),
  ];
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length > 0) out.push(`duplicated items: ${dup.slice(0, 3).join(', ')}`);
  return out;
}
