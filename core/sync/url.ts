/** Server addresses and invite links as people type and paste them. */
import { ClientError } from './errors.ts';

const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;
const HOST =
  /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/i;

/**
 * The server address a person typed, made canonical: trimmed; `http://` added for localhost
 * and `https://` for any other host without a scheme; host lower-cased; no trailing slash.
 * Anything but http(s), or an address with credentials, a query or a fragment, is refused
 * with `badServerUrl`. A path is kept (a server may sit under one behind a proxy).
 */
export function normalizeServerUrl(input: string): string {
  const text = input.trim();
  const bad = () => new ClientError('badServerUrl', 'not an http(s) server address');
  if (!text || /\s/.test(text)) throw bad();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  let withScheme = text;
  if (!scheme || !text.slice(scheme[0].length).startsWith('//')) {
    // `localhost:1234` parses as scheme "localhost"; a scheme is only a scheme before `//`.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw bad();
    const host = text.split('/')[0]!;
    withScheme = (LOCAL_HOST.test(host) ? 'http://' : 'https://') + text;
  }
  const m = /^(https?):\/\/([^/?#]*)([^?#]*)$/i.exec(withScheme);
  if (!m) throw bad();
  const [, protocol, host, path] = m as unknown as [string, string, string, string];
  if (!HOST.test(host)) throw bad();
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw bad();
  const cleanPath = path.replace(/\/+$/, '');
  return `${protocol.toLowerCase()}://${host.toLowerCase()}${cleanPath}`;
}

/** The WebSocket base of a server: `http` → `ws`, `https` → `wss`. */
export function wsBaseOf(server: string): string {
  return server.replace(/^http/i, 'ws');
}

/** The link to hand over: the code sits in the fragment, so it never reaches a server log. */
export function inviteLink(server: string, code: string): string {
  return `${server}/join#${code}`;
}

const CODE = /^[A-Za-z0-9_-]{16,64}$/;

/** An invite code as people read it aloud or type it: groups of four, spaced ("AbCd 3fG- …"). */
export function groupCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Reads what a person pasted into "Join": an invite link (`<server>/join#<code>`), or a bare
 * code with the server address given separately. Throws `badInvite` or `badServerUrl`.
 */
export function parseInvite(invite: string, server?: string): { server: string; code: string } {
  const text = invite.trim();
  // A code is shown in groups of four (groupCode) and may be typed with the spaces.
  const bare = text.replace(/\s+/g, '');
  if (CODE.test(bare)) {
    if (!server?.trim()) throw new ClientError('badServerUrl', 'a bare code needs the server address');
    return { server: normalizeServerUrl(server), code: bare };
  }
  const m = /^(.*)\/join\/?#([^#]*)$/.exec(text);
  if (!m || !CODE.test(m[2]!)) throw new ClientError('badInvite', 'not an invite link or code');
  return { server: normalizeServerUrl(m[1]!), code: m[2]! };
}
