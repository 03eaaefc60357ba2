/**
 * The WebSocket handshake of `/sync/<planId>/<doc>`.
 *
 * Refused with an HTTP status before the handshake: an unknown path (404), a disallowed
 * Origin (403), no `varde.v1` subprotocol offered (400), too many sockets from the client's
 * address (429), the server shutting down (503).
 * Everything about the member (token, membership, access) is decided after the handshake
 * and answered with a close code, because a browser's WebSocket cannot read an HTTP status
 * and the client must be able to tell "access refused" from "server unreachable". Either way
 * no frame of the doc is sent before access is established.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { DOC_NAMES, type DocName } from '../../core/model/schema.ts';
import { isPlanId } from '../../core/model/ids.ts';
import { SYNC_SUBPROTOCOL, canRead, tokenFromProtocols } from '../../core/access/index.ts';
import type { AddressUsage } from '../addresses.ts';
import type { Context } from '../context.ts';
import { originAllowed } from '../config.ts';
import { clientAddress } from '../http/util.ts';
import { errorName } from '../log.ts';
import { Connection } from './connection.ts';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** The address usage each TCP socket was counted under (server.ts, without a proxy). */
export const socketAddresses = new WeakMap<object, AddressUsage>();

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The plan id and doc of a `/sync/<planId>/<doc>` URL (a query string is ignored), or null for any other
 * path, a malformed plan id or an unknown doc.
 */
export function parseSyncPath(url: string | undefined): { planId: string; doc: DocName } | null {
  const path = (url ?? '').split('?')[0]!;
  const m = /^\/sync\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m || !isPlanId(m[1]) || !(DOC_NAMES as readonly string[]).includes(m[2]!)) return null;
  return { planId: m[1], doc: m[2] as DocName };
}

/** The subprotocols the request offers in `Sec-WebSocket-Protocol`, trimmed, in order; empty without one. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Handles an HTTP upgrade request as the file header says: refuses it with an HTTP status, or completes the
 * handshake and then admits the member or closes with a close code. A socket not yet counted against its
 * client address (every socket, behind a proxy) is counted until it closes.
 */
export function handleUpgrade(
  ctx: Context,
  wss: WebSocketServer,
  shuttingDown: () => boolean,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on('error', () => {});
  const target = parseSyncPath(req.url);
  if (!target) return refuse(socket, 404);
  if (!originAllowed(req.headers.origin, ctx.config.allowedOrigins)) {
    ctx.log.warn('ws.originRefused', { planId: target.planId, doc: target.doc });
    return refuse(socket, 403);
  }
  const protocols = offeredProtocols(req);
  if (!protocols.includes(SYNC_SUBPROTOCOL)) return refuse(socket, 400);
  if (shuttingDown()) return refuse(socket, 503);
  // Without a proxy the TCP socket was counted when it connected; behind one, count the
  // forwarded address for as long as this sync connection lives.
  let address = ctx.config.trustProxy ? null : (socketAddresses.get(socket) ?? null);
  if (!address) {
    address = ctx.addresses.open(clientAddress(req, ctx.config.trustProxy));
    if (!address) {
      ctx.metrics.inc('varde_sockets_refused_total');
      return refuse(socket, 429);
    }
    const counted = address;
    socket.once('close', () => ctx.addresses.close(counted));
  }
  const token = tokenFromProtocols(protocols);
  const usage = address;
  wss.handleUpgrade(req, socket, head, (ws) => {
    // accept catches its own errors; should closing itself throw, only this socket ends.
    accept(ctx, ws, socket, target.planId, target.doc, token, usage).catch(() => ws.terminate());
  });
}

async function accept(
  ctx: Context,
  ws: WebSocket,
  socket: Duplex,
  planId: string,
  doc: DocName,
  token: string | null,
  address: AddressUsage,
) {
  const conn = new Connection(ctx, ws, socket, planId, doc, address);
  ctx.rooms.register(conn);
  ctx.metrics.inc('varde_ws_connections_total');
  try {
    const memberId = token ? ctx.signer.verify(token, planId) : null;
    if (!memberId) return conn.close('unauthenticated');
    if (!(await ctx.storage.meta.getPlan(planId))) return conn.close('notFound');
    const member = await ctx.storage.meta.getMember(planId, memberId);
    if (!member) return conn.close('unauthenticated');
    if (member.revokedAt !== null) return conn.close('revoked');
    if (!canRead(member.levels, doc)) return conn.close('forbidden');
    conn.member = member;
    if (conn.closed) return;
    conn.usage = ctx.rooms.admitMember(planId, memberId);
    if (!conn.usage) return conn.close('tooManyConnections');
    const room = await ctx.rooms.acquire(planId, doc, conn.turnKey);
    if (conn.closed) return ctx.rooms.releaseIfIdle(room);
    // The member may have changed while the doc loaded; start with the current record.
    const current = await ctx.storage.meta.getMember(planId, memberId);
    if (conn.closed) return ctx.rooms.releaseIfIdle(room);
    if (!current || current.revokedAt !== null) return conn.close('revoked');
    if (!canRead(current.levels, doc)) return conn.close('forbidden');
    conn.start(current, room);
    if (conn.closed) ctx.rooms.releaseIfIdle(room);
    ctx.log.info('ws.connected', { planId, memberId, doc });
  } catch (error) {
    ctx.log.error('ws.acceptFailed', { planId, doc, error: errorName(error) });
    conn.close('internalError');
  }
}
