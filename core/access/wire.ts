/**
 * What travels between the extension and the sync server besides the y-websocket messages
 * themselves: the WebSocket subprotocols and the presence (awareness) identity the server
 * stamps. docs/protocol.md is the prose version.
 */
import type { HelpLine } from './help-lines.ts';
import type { Levels, Role } from './levels.ts';

/** The subprotocol the server selects (echoes back); it names this protocol's version. */
export const SYNC_SUBPROTOCOL = 'varde.v1';
/** Prefix of the second offered subprotocol, which carries the connection token. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'varde.token.';
/** WebSocket path of one doc: `/sync/<planId>/<doc>`. */
export const SYNC_PATH_PREFIX = '/sync/';

/**
 * Subprotocols to pass as y-websocket's `protocols` option. The token is a short-lived
 * connection token from `POST /api/plans/<planId>/tokens`, never the member secret.
 */
export function syncProtocols(token: string): string[] {
  return [SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token];
}

/** Reads the token out of offered subprotocols, or null when none is offered. */
export function tokenFromProtocols(protocols: Iterable<string>): string | null {
  for (const p of protocols) {
    if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return p.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return null;
}

/**
 * The `user` field of every awareness state the server relays. Whatever a client puts there
 * is replaced, so presence cannot be spoofed.
 */
export interface PresenceUser {
  memberId: string;
  name: string;
  role: Role;
  color: string;
}

/**
 * The HTTP API's answers, defined once for both ends: the server's JSON builders `satisfies`
 * them, and the client's parsers (core/sync/api.ts) produce them from what they check.
 * docs/protocol.md is the prose version. Times are ISO-8601.
 */

/** A member of a plan (docs/protocol.md "A member object"). Never its secret. */
export interface WireMember {
  readonly memberId: string;
  readonly name: string;
  readonly role: Role;
  readonly levels: Levels;
  readonly color: string;
  /** Said by the server, never guessed from the role. */
  readonly isOwner: boolean;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** Registering a plan or redeeming an invite: the device's new membership. */
export interface WireMembership extends WireMember {
  readonly planId: string;
  /** 256 random bits, shown once; the device keeps it and sends it only as a Bearer token. */
  readonly memberSecret: string;
}

/** The answer to redeeming an invite: the new membership, and whose plan it is. */
export interface WireRedeemed extends WireMembership {
  /** The plan owner's display name, so the joined plan can be named after them ("Kari's plan"). */
  readonly ownerName?: string;
}

export const INVITE_STATUSES = ['pending', 'used', 'expired', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** An invite as the owner sees it (the code itself is shown only once, at creation). */
export interface WireInvite {
  readonly inviteId: string;
  readonly role: Role;
  readonly levels: Levels;
  readonly status: InviteStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
  readonly usedBy: string | null;
  readonly revokedAt: string | null;
}

/** One event of a plan's audit log: who did what to which doc or member, when. No content. */
export interface WireAuditEvent {
  readonly id: number;
  readonly at: string;
  readonly memberId: string | null;
  readonly kind: string;
  readonly doc: string | null;
  readonly target: string | null;
  readonly count: number | null;
}

/** What the token endpoint answers; the client keeps it to shape its UI and refresh in time. */
export interface TokenResponse {
  readonly token: string;
  /** ISO-8601; refresh a minute or so before. */
  readonly expiresAt: string;
  readonly memberId: string;
  readonly role: Role;
  readonly levels: Levels;
  readonly name: string;
  readonly color: string;
  /** Said by the server, never guessed from the role. */
  readonly isOwner: boolean;
  /**
   * The help lines the server's operator offers (`--help-lines-file`; empty when none). Absent
   * from servers older than the list: the device then keeps what it had.
   */
  readonly helpLines?: readonly HelpLine[];
}
