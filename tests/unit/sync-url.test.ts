import { describe, expect, it } from 'vitest';
import {
  ClientError,
  SyncApi,
  inviteLink,
  normalizeServerUrl,
  parseInvite,
  reasonOf,
  wsBaseOf,
} from '../../core/sync/index.ts';
import { ApiError } from '../../core/access/index.ts';

const CODE = 'AbCdEfGhIjKlMnOpQrStUv';

function reason(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return reasonOf(error);
  }
}

describe('normalizeServerUrl', () => {
  it.each([
    ['http://localhost:1234', 'http://localhost:1234'],
    ['  localhost:1234/  ', 'http://localhost:1234'],
    ['localhost', 'http://localhost'],
    ['127.0.0.1:1234', 'http://127.0.0.1:1234'],
    ['[::1]:1234', 'http://[::1]:1234'],
    ['sync.example.org', 'https://sync.example.org'],
    ['HTTPS://Sync.Example.ORG//', 'https://sync.example.org'],
    ['https://example.org/varde/', 'https://example.org/varde'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
  ])('makes %j into %j', (input, expected) => {
    expect(normalizeServerUrl(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'ftp://example.org',
    'ws://localhost:1234',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'https://user:pw@example.org',
    'https://example.org/?token=x',
    'https://example.org/#x',
    'https://exa mple.org',
    'http://localhost:99999',
    'https://',
  ])('refuses %j with badServerUrl', (input) => {
    expect(reason(() => normalizeServerUrl(input))).toBe('badServerUrl');
  });

  it('gives the WebSocket base of a server', () => {
    expect(wsBaseOf('http://localhost:1234')).toBe('ws://localhost:1234');
    expect(wsBaseOf('https://example.org/varde')).toBe('wss://example.org/varde');
  });
});

describe('invites as people paste them', () => {
  it('puts the code in the fragment of the link, where no server log sees it', () => {
    expect(inviteLink('https://example.org', CODE)).toBe(`https://example.org/join#${CODE}`);
  });

  it('reads a link, with or without surrounding space and slash', () => {
    expect(parseInvite(` https://example.org/join#${CODE} `)).toEqual({
      server: 'https://example.org',
      code: CODE,
    });
    expect(parseInvite(`http://localhost:1234/join/#${CODE}`)).toEqual({
      server: 'http://localhost:1234',
      code: CODE,
    });
    expect(parseInvite(`localhost:1234/join#${CODE}`)).toEqual({
      server: 'http://localhost:1234',
      code: CODE,
    });
  });

  it('reads a bare code with the server given beside it', () => {
    expect(parseInvite(CODE, 'localhost:1234')).toEqual({ server: 'http://localhost:1234', code: CODE });
  });

  it('refuses a bare code without a server, and text that is neither', () => {
    expect(reason(() => parseInvite(CODE))).toBe('badServerUrl');
    expect(reason(() => parseInvite('hello'))).toBe('badInvite');
    expect(reason(() => parseInvite('https://example.org/join#short'))).toBe('badInvite');
    expect(reason(() => parseInvite(`ftp://example.org/join#${CODE}`))).toBe('badServerUrl');
  });
});

describe('SyncApi errors', () => {
  const answer = (status: number, body: string) => async () => ({
    status,
    text: async () => body,
    headers: { get: () => null },
  });

  it("carries the server's reason", async () => {
    const api = new SyncApi('localhost:1', answer(410, '{"error":"inviteUsed","message":"used"}'));
    const error = await api.redeem(CODE, 'Ola').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(reasonOf(error)).toBe('inviteUsed');
  });

  it('tells a network failure apart as offline', async () => {
    const api = new SyncApi('localhost:1', () => Promise.reject(new TypeError('fetch failed')));
    const error = await api.me('p', 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(reasonOf(error)).toBe('offline');
  });

  it("maps a proxy's error page to unavailable, and an unexpected body to badResponse", async () => {
    expect(
      reasonOf(await new SyncApi('localhost:1', answer(502, '<html>')).me('p', 's').catch((e) => e)),
    ).toBe('unavailable');
    expect(reasonOf(await new SyncApi('localhost:1', answer(200, '[]')).me('p', 's').catch((e) => e))).toBe(
      'badResponse',
    );
  });

  it('sends the secret only in the Authorization header, never in the URL', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const api = new SyncApi('localhost:1', async (url, init) => {
      seen.push({ url, headers: init.headers });
      return { status: 204, text: async () => '', headers: { get: () => null } };
    });
    await api.revokeMember('plan', 'the-secret', 'member');
    expect(seen[0]!.url).toBe('http://localhost:1/api/plans/plan/members/member');
    expect(seen[0]!.url).not.toContain('the-secret');
    expect(seen[0]!.headers.Authorization).toBe('Bearer the-secret');
  });
});
