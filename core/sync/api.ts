/**
 * A typed client for the sync server's HTTP API (docs/protocol.md). Framework-free: the host
 * injects `fetch`. The member secret travels only as `Authorization: Bearer`, never in a URL.
 */
import {
  ApiError,
  isApiErrorReason,
  MAX_NAME_UNITS,
  isRole,
  parseHelpLines,
  parseLevels,
  INVITE_STATUSES,
  type InviteRole,
  type Levels,
  type Role,
  type InviteStatus,
  type TokenResponse,
  type WireAuditEvent,
  type WireInvite,
  type WireMember,
  type WireMembership,
} from '../access/index.ts';
import { isPlanId } from '../model/index.ts';
import { ClientError } from './errors.ts';
import { normalizeServerUrl } from './url.ts';

// The errors and address helpers live in their own files; re-exported for callers of the API.
export * from './errors.ts';
export * from './url.ts';

export type { TokenResponse };

/** The part of `fetch` this client uses; the browser's and Node's `fetch` both fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; text(): Promise<string>; headers: { get(name: string): string | null } }>;

/** The API's answers: one definition for the server and the client (core/access/wire.ts). */
export type Member = WireMember;
export type Membership = WireMembership;
export type Invite = WireInvite;
export type AuditEvent = WireAuditEvent;

/** A token and how long it lives by the server's clock, so a wrong device clock does no harm. */
export interface Token extends TokenResponse {
  readonly ttlMs: number;
}

// ---- answers, checked: another server (or a proxy's error page) may answer anything ----

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => {
  if (typeof v !== 'string') throw new ClientError('badResponse');
  return v;
};
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));

function parseMember(v: unknown): Member {
  if (!isObject(v)) throw new ClientError('badResponse');
  const levels = parseLevels(v.levels);
  if (!levels || !isRole(v.role)) throw new ClientError('badResponse');
  return {
    memberId: str(v.memberId),
    name: str(v.name),
    role: v.role,
    levels,
    color: str(v.color),
    isOwner: v.isOwner === true,
    createdAt: str(v.createdAt),
    revokedAt: strOrNull(v.revokedAt),
  };
}

function parseMembership(v: unknown): Membership {
  if (!isObject(v) || !isPlanId(v.planId)) throw new ClientError('badResponse');
  return { ...parseMember(v), planId: v.planId, memberSecret: str(v.memberSecret) };
}

function parseInviteAnswer(v: unknown): Invite {
  if (!isObject(v)) throw new ClientError('badResponse');
  const levels = parseLevels(v.levels);
  const status = v.status;
  if (!levels || !isRole(v.role) || !(INVITE_STATUSES as readonly unknown[]).includes(status))
    throw new ClientError('badResponse');
  return {
    inviteId: str(v.inviteId),
    role: v.role,
    levels,
    status: status as InviteStatus,
    createdAt: str(v.createdAt),
    expiresAt: str(v.expiresAt),
    usedAt: strOrNull(v.usedAt),
    usedBy: strOrNull(v.usedBy),
    revokedAt: strOrNull(v.revokedAt),
  };
}

/** The HTTP API of one server. Every method throws `ApiError` (the server's reason) or `ClientError`. */
export class SyncApi {
  readonly server: string;

  constructor(
    server: string,
    private readonly fetch: FetchLike,
  ) {
    this.server = normalizeServerUrl(server);
  }

  private async call(
    method: string,
    path: string,
    { secret, body }: { secret?: string; body?: unknown } = {},
  ): Promise<{ json: unknown; date: string | null }> {
    const headers: Record<string, string> = {};
    if (secret !== undefined) headers.Authorization = `Bearer ${secret}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let status: number;
    let text: string;
    let date: string | null;
    try {
      const res = await this.fetch(this.server + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      status = res.status;
      date = res.headers.get('date');
      text = await res.text();
    } catch {
      // fetch rejects only when no answer came: no network, refused, DNS, TLS, CORS.
      throw new ClientError('offline', 'the server could not be reached');
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (status >= 200 && status < 300) return { json, date };
    const reason = isObject(json) ? json.error : undefined;
    const message = isObject(json) && typeof json.message === 'string' ? json.message : `HTTP ${status}`;
    if (isApiErrorReason(reason)) throw new ApiError(reason, message);
    // Not this protocol's error body: a proxy's page, or a server that is not Varde.
    if (status === 502 || status === 503 || status === 504) throw new ApiError('unavailable', message);
    if (status === 404) throw new ApiError('notFound', message);
    if (status >= 500) throw new ApiError('internal', message);
    throw new ClientError('badResponse', message);
  }

  /**
   * Registers a plan made on this device; the caller becomes its owner. A server that takes
   * plans only with a code from its operator answers `registrationCodeRequired` without one.
   */
  async registerPlan(planId: string, ownerName: string, registrationCode?: string): Promise<Membership> {
    const body = { planId, name: ownerName, ...(registrationCode ? { registrationCode } : {}) };
    const { json } = await this.call('POST', '/api/plans', { body });
    return parseMembership(json);
  }

  /** Trades the member secret for a short-lived connection token. */
  async token(planId: string, secret: string): Promise<Token> {
    const { json, date } = await this.call('POST', `/api/plans/${planId}/tokens`, { secret });
    if (!isObject(json)) throw new ClientError('badResponse');
    const levels = parseLevels(json.levels);
    const expires = Date.parse(str(json.expiresAt));
    if (!levels || !isRole(json.role) || Number.isNaN(expires)) throw new ClientError('badResponse');
    const serverNow = date ? Date.parse(date) : NaN;
    return {
      token: str(json.token),
      expiresAt: str(json.expiresAt),
      memberId: str(json.memberId),
      role: json.role,
      levels,
      name: str(json.name),
      color: str(json.color),
      // A server from before isOwner was in the token answer: only the owner is a participant.
      isOwner: typeof json.isOwner === 'boolean' ? json.isOwner : json.role === 'participant',
      // A list that does not read as one is shown as none: the token matters more than it.
      ...(json.helpLines !== undefined ? { helpLines: parseHelpLines(json.helpLines) ?? [] } : {}),
      ttlMs: Math.max(0, expires - (Number.isNaN(serverNow) ? Date.now() : serverNow)),
    };
  }

  /** The caller's own membership and access. */
  async me(planId: string, secret: string): Promise<Member> {
    return parseMember((await this.call('GET', `/api/plans/${planId}/me`, { secret })).json);
  }

  /** Owner: a single-use invite. The code is returned only here. */
  async createInvite(
    planId: string,
    secret: string,
    input: { role: InviteRole; levels?: Levels; expiresInSeconds?: number },
  ): Promise<Invite & { code: string }> {
    const { json } = await this.call('POST', `/api/plans/${planId}/invites`, { secret, body: input });
    if (!isObject(json)) throw new ClientError('badResponse');
    return { ...parseInviteAnswer(json), code: str(json.code) };
  }

  async listInvites(planId: string, secret: string): Promise<Invite[]> {
    const { json } = await this.call('GET', `/api/plans/${planId}/invites`, { secret });
    if (!isObject(json) || !Array.isArray(json.invites)) throw new ClientError('badResponse');
    return json.invites.map(parseInviteAnswer);
  }

  async revokeInvite(planId: string, secret: string, inviteId: string): Promise<void> {
    await this.call('DELETE', `/api/plans/${planId}/invites/${inviteId}`, { secret });
  }

  /** No auth: the code is the credential. Gives this device a membership. */
  /** Redeems an invite: the new membership, and the plan owner's name when the server says it. */
  async redeem(code: string, name: string): Promise<Membership & { ownerName?: string }> {
    const { json } = await this.call('POST', '/api/invites/redeem', { body: { code, name } });
    const m = parseMembership(json);
    const owner = isObject(json) && typeof json.ownerName === 'string' ? json.ownerName.trim() : '';
    return owner ? { ...m, ownerName: owner.slice(0, MAX_NAME_UNITS) } : m;
  }

  /** Owner: every member, removed ones included (with `revokedAt`). */
  async members(planId: string, secret: string): Promise<Member[]> {
    const { json } = await this.call('GET', `/api/plans/${planId}/members`, { secret });
    if (!isObject(json) || !Array.isArray(json.members)) throw new ClientError('badResponse');
    return json.members.map(parseMember);
  }

  async updateMember(
    planId: string,
    secret: string,
    memberId: string,
    patch: { name?: string; role?: Role; levels?: Levels },
  ): Promise<Member> {
    const { json } = await this.call('PATCH', `/api/plans/${planId}/members/${memberId}`, {
      secret,
      body: patch,
    });
    return parseMember(json);
  }

  /** Owner removes a member, or a member leaves (their own id). */
  async revokeMember(planId: string, secret: string, memberId: string): Promise<void> {
    await this.call('DELETE', `/api/plans/${planId}/members/${memberId}`, { secret });
  }

  async audit(
    planId: string,
    secret: string,
    page: { after?: number; limit?: number } = {},
  ): Promise<{ events: AuditEvent[]; next: number | null }> {
    const query = `after=${page.after ?? 0}&limit=${page.limit ?? 200}`;
    const { json } = await this.call('GET', `/api/plans/${planId}/audit?${query}`, { secret });
    if (!isObject(json) || !Array.isArray(json.events)) throw new ClientError('badResponse');
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      events: json.events.map((e: unknown): AuditEvent => {
        if (!isObject(e) || typeof e.id !== 'number') throw new ClientError('badResponse');
        return {
          id: e.id,
          at: str(e.at),
          memberId: strOrNull(e.memberId),
          kind: str(e.kind),
          doc: strOrNull(e.doc),
          target: strOrNull(e.target),
          count: num(e.count),
        };
      }),
      next: num(json.next),
    };
  }

  /** Owner: deletes the plan and all its data on the server (not on any device). */
  async deletePlan(planId: string, secret: string): Promise<void> {
    await this.call('DELETE', `/api/plans/${planId}`, { secret });
  }
}
