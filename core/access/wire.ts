/**
 * What travels between the extension and the sync server besides the y-websocket messages
 * themselves: the WebSocket subprotocols and the presence (awareness) identity the server
 * stamps. docs/protocol.md is the prose version.
 */
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

/** What the token endpoint answers; the client keeps it to shape its UI and refresh in time. */
export interface TokenResponse {
  token: string;
  /** ISO-8601; refresh a minute or so before. */
  expiresAt: string;
  memberId: string;
  role: Role;
  levels: Levels;
  name: string;
  color: string;
}
