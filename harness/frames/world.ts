/**
 * The plans, members and well-behaved clients a frame-fuzz run attacks and then checks.
 *
 * - The **victim** plan: well-behaved clients edit it all run long. Hostile sessions come from
 *   members who may not write (any frame at all) and from writers limited to frames that cannot
 *   decode as an update. At the end every replica, a fresh reader and the reloaded server hold
 *   the same doc, with every edit the well-behaved clients made.
 * - **Playground** plans: writers send valid, mutated and enormous updates too. A new one
 *   every `rotateEvery` frames keeps docs at a size a real plan could have. At the end each doc
 *   must load, and load the same before and after a server restart; an observer that watched
 *   the first one live must hold what the server holds.
 */
import * as Y from 'yjs';
import { canWrite, syncProtocols, type Levels } from '../../core/access/index.ts';
import { DOC_NAMES, type DocName } from '../../core/model/schema.ts';
import {
  connect,
  invitedMember,
  registerPlan,
  sleep,
  token,
  waitFor,
  type Client,
  type Member,
} from '../server.ts';

export interface Endpoint {
  url: string;
  wsUrl: string;
}

/** Where hostile sessions connect: a member on one doc. */
export interface Seat {
  member: Member;
  doc: DocName;
  writer: boolean;
  safeOnly: boolean;
  /** The session's replica; reused so a seat's client ids stay few. */
  fork: Y.Doc;
  /** Playground seats fetch the doc before writing, so their edits land among real items. */
  fetchFirst: boolean;
}

interface GoodClient {
  name: string;
  member: Member;
  memberId: string;
  client: Client;
  doc: DocName;
  edits: number;
}

const EDIT_ALL: Levels = { goals: 'edit', plan: 'edit' };

/** A doc's content as JSON with sorted keys: map key order follows integration order. */
export function canonical(doc: Y.Doc): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  // A writer may store a BigInt (lib0 `any`), which JSON.stringify refuses to write.
  return JSON.stringify(sort(doc.toJSON()), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

export class World {
  seats: Seat[] = [];
  private readonly good: GoodClient[] = [];
  private observer: Client | null = null;
  private observerMember: Member | null = null;
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  private readonly playgrounds: Member[] = [];
  private victimOwner!: Member;
  private readonly tokens = new Map<string, { token: string; at: number }>();
  private editTimer: ReturnType<typeof setInterval> | null = null;
  /** Presence ids of the well-behaved clients, per plan and doc. */
  readonly victims = new Map<string, number[]>();

  constructor(private endpoint: Endpoint) {}

  static async create(endpoint: Endpoint): Promise<World> {
    const w = new World(endpoint);
    await w.setUpVictim();
    await w.rotatePlayground();
    return w;
  }

  private async setUpVictim(): Promise<void> {
    const { url } = this.endpoint;
    const owner = (this.victimOwner = await registerPlan(url, 'Victim owner'));
    const goodRel = await invitedMember(url, owner, 'relative', 'Good relative');
    for (const [name, m, doc] of [
      ['owner-plan', owner, 'plan'],
      ['owner-goals', owner, 'goals'],
      ['relative-plan', goodRel, 'plan'],
      ['relative-goals-notes', goodRel, 'goals-notes'],
    ] as const) {
      const client = await connect(this.endpoint, m, doc);
      await client.synced();
      client.provider.awareness.setLocalStateField('marker', name);
      this.good.push({ name, member: m, memberId: m.memberId, client, doc, edits: 0 });
      this.victimIds(owner.planId, doc).push(client.doc.clientID);
    }
    const attackers = [
      await invitedMember(url, owner, 'network', 'Attacker N1'),
      await invitedMember(url, owner, 'network', 'Attacker N2'),
      await invitedMember(url, owner, 'relative', 'Attacker R'),
      await invitedMember(url, owner, 'other', 'Attacker E', EDIT_ALL),
    ];
    for (const m of attackers) this.addSeats(m, false);
    // The well-behaved clients keep editing through the whole run.
    this.editTimer = setInterval(() => {
      for (const g of this.good) {
        if (g.client.provider.wsconnected) g.client.doc.getMap('good').set(`${g.name}-${g.edits++}`, g.edits);
      }
    }, 250);
    // Like a real client (protocol.md: on 4401 fetch a new token), a well-behaved client that
    // reconnects (y-websocket does after 30 s without a message) uses a token still valid.
    this.renewTimer = setInterval(() => void this.renewTokens(), 60_000);
    this.renewTimer.unref();
  }

  private async renewTokens(): Promise<void> {
    const all = [...this.good.map((g) => [g.member, g.client] as const)];
    if (this.observer && this.observerMember) all.push([this.observerMember, this.observer]);
    for (const [m, c] of all) {
      try {
        c.provider.protocols = syncProtocols(await this.tokenFor(m));
      } catch {
        // the next round tries again; a reconnect with an expired token shows as a 4401
      }
    }
  }

  private victimIds(planId: string, doc: DocName): number[] {
    const k = `${planId}/${doc}`;
    if (!this.victims.has(k)) this.victims.set(k, []);
    return this.victims.get(k)!;
  }

  private addSeats(m: Member, playground: boolean): void {
    for (const doc of DOC_NAMES) {
      const scope = doc.startsWith('goals') ? 'goals' : 'plan';
      if (m.levels[scope] === 'none') continue;
      const writer = canWrite(m.levels, doc);
      this.seats.push({
        member: m,
        doc,
        writer,
        safeOnly: writer && !playground,
        fork: new Y.Doc(),
        fetchFirst: playground && writer,
      });
    }
  }

  /** A fresh playground plan; its members take over the playground seats. */
  async rotatePlayground(): Promise<void> {
    const { url } = this.endpoint;
    const owner = await registerPlan(url, 'Playground owner');
    const members = [
      owner,
      await invitedMember(url, owner, 'relative', 'P relative'),
      await invitedMember(url, owner, 'network', 'P network'),
      await invitedMember(url, owner, 'other', 'P editor', EDIT_ALL),
    ];
    if (this.playgrounds.length === 0) {
      const watcher = await invitedMember(url, owner, 'other', 'P observer', EDIT_ALL);
      this.observerMember = watcher;
      this.observer = await connect(this.endpoint, watcher, 'plan');
      await this.observer.synced();
      this.victimIds(owner.planId, 'plan').push(this.observer.doc.clientID);
    }
    const previous = new Set(this.playgrounds.map((p) => p.planId));
    this.seats = this.seats.filter((s) => !previous.has(s.member.planId));
    this.playgrounds.push(owner);
    for (const m of members) this.addSeats(m, true);
  }

  /** A connection token for the member, fetched at most every five minutes. */
  async tokenFor(m: Member): Promise<string> {
    const cached = this.tokens.get(m.memberId);
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.token;
    // After a restart, a pooled keep-alive socket of the old server may fail once.
    const t = await token(this.endpoint.url, m).then(
      (r) => r.token,
      () => token(this.endpoint.url, m).then((r) => r.token),
    );
    this.tokens.set(m.memberId, { token: t, at: Date.now() });
    return t;
  }

  /** Closes seen by the well-behaved clients (must be none). */
  goodCloses(): { name: string; code: number }[] {
    const all = [
      ...this.good.map((g) => ({ name: g.name, c: g.client })),
      { name: 'observer', c: this.observer! },
    ];
    return all.flatMap(({ name, c }) => c.closes.map((x) => ({ name, code: x.code })));
  }

  /**
   * Stops editing, waits for the well-behaved replicas to agree, and returns the findings that
   * need the running server. `afterRestart` then compares with the reloaded server.
   */
  async settle(): Promise<{ problems: string[]; snapshot: Map<string, string> }> {
    if (this.editTimer) clearInterval(this.editTimer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    const problems: string[] = [];
    const byDoc = new Map<DocName, GoodClient[]>();
    for (const g of this.good) byDoc.set(g.doc, [...(byDoc.get(g.doc) ?? []), g]);
    for (const [doc, clients] of byDoc) {
      const expected = new Set(
        clients.flatMap((g) => Array.from({ length: g.edits }, (_, i) => `${g.name}-${i}`)),
      );
      const complete = (c: Client) => {
        const keys = [...c.doc.getMap('good').keys()];
        return keys.length === expected.size && keys.every((k) => expected.has(k));
      };
      try {
        await waitFor(() => clients.every((g) => complete(g.client)), {
          timeout: 30_000,
          what: `${doc} replicas`,
        });
      } catch {
        problems.push(`victim ${doc}: well-behaved replicas miss edits`);
      }
      const fresh = await this.read(this.victimOwner, doc);
      if (!complete(fresh)) problems.push(`victim ${doc}: the server misses well-behaved edits`);
      const json = canonical(fresh.doc);
      for (const g of clients) {
        if (canonical(g.client.doc) !== json) problems.push(`victim ${doc}: ${g.name} differs`);
      }
      fresh.destroy();
    }
    // Presence: each well-behaved client on the victim plan doc still sees the other's own state,
    // exactly once and stamped with the other's member id (the server relays it under an id of
    // its own, so an attacker announcing the other's Yjs client id can neither hide nor replace it).
    const [a, b] = this.good.filter((g) => g.doc === 'plan');
    const pairs: [GoodClient, GoodClient][] = [
      [a!, b!],
      [b!, a!],
    ];
    for (const [x, y] of pairs) {
      const seen = [...x.client.provider.awareness.getStates()]
        .filter(([id]) => id !== x.client.doc.clientID)
        .map(([, state]) => state)
        .filter((state) => state.marker === y.name);
      if (seen.length !== 1 || seen[0]!.user?.memberId !== y.memberId)
        problems.push(`presence of ${y.name} was altered or removed`);
    }
    const observed = canonical(this.observer!.doc);
    const live = await this.read(this.playgrounds[0]!, 'plan');
    if (canonical(live.doc) !== observed) problems.push('playground observer differs from the server');
    live.destroy();
    for (const g of this.good) g.client.destroy();
    this.observer!.destroy();
    return { problems, snapshot: await this.snapshot() };
  }

  /** Every doc of every plan as a fresh reader loads it: JSON and state vector. */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const owner of [this.victimOwner, ...this.playgrounds]) {
      for (const doc of DOC_NAMES) {
        const c = await this.read(owner, doc);
        const sv = [...Y.decodeStateVector(Y.encodeStateVector(c.doc))].sort(([a], [b]) => a - b);
        out.set(`${owner.planId}/${doc}`, `${JSON.stringify(sv)} ${canonical(c.doc)}`);
        c.destroy();
      }
    }
    return out;
  }

  setEndpoint(endpoint: Endpoint): void {
    this.endpoint = endpoint;
    this.tokens.clear();
  }

  private async read(owner: Member, doc: DocName): Promise<Client> {
    const c = await connect(this.endpoint, owner, doc, { tokenValue: await this.tokenFor(owner) });
    await waitFor(() => c.provider.synced, { timeout: 60_000, what: `${doc} loaded` });
    // Broadcasts of the last accepted updates may still be in flight.
    await sleep(50);
    return c;
  }

  get planCount(): number {
    return 1 + this.playgrounds.length;
  }
}
