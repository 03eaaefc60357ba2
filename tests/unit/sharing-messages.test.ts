/**
 * The sharing UI's words: every sync status and every failure a sharing call can meet is said
 * in plain words in en, nb and sv, never shown as a raw key or reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_ERRORS,
  ApiError,
  PERMISSION_DENIED,
  type ApiErrorReason,
  type PermissionDeniedReason,
} from '../../core/access/index.ts';
import { DENIED_MESSAGES } from '../../components/app/SyncStatus.tsx';
import { problemKey } from '../../components/sharing/errors.ts';
import { CLIENT_ERRORS, ClientError } from '../../core/sync/index.ts';
import { describeStatus } from '../../components/sharing/status.ts';
import type { SyncStatus } from '../../core/sync/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LANGUAGES = ['en', 'nb', 'sv'] as const;

/** A translator over the real message files, which reports keys it does not know. */
function translator(language: string, missing: string[]) {
  const messages: Record<string, string> = {};
  for (const ns of ['app', 'sharing']) {
    const file = JSON.parse(
      readFileSync(path.join(ROOT, 'locales', language, `${ns}.json`), 'utf8'),
    ) as Record<string, string>;
    for (const [key, value] of Object.entries(file)) messages[`${ns}.${key}`] = value;
  }
  return (key: string, params?: Record<string, string | number>) => {
    const template = messages[key];
    if (template === undefined) {
      missing.push(`${language}: ${key}`);
      return key;
    }
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  };
}

const STATUSES: SyncStatus[] = [
  { kind: 'local' },
  { kind: 'connecting', pending: 0 },
  { kind: 'connecting', pending: 1 },
  { kind: 'connecting', pending: 4 },
  { kind: 'synced', at: '2025-03-04T14:02:00.000Z' },
  { kind: 'synced', at: 'not a time' },
  { kind: 'offline', pending: 0 },
  { kind: 'offline', pending: 1 },
  { kind: 'offline', pending: 3 },
  { kind: 'refused', reason: 'revoked' },
  { kind: 'refused', reason: 'noAccess' },
  { kind: 'refused', reason: 'planDeleted' },
  { kind: 'refused', reason: 'signInFailed' },
];

describe('the sync status in words', () => {
  it('has a message for every status in every language, with no placeholder left over', () => {
    const missing: string[] = [];
    for (const language of LANGUAGES) {
      const t = translator(language, missing);
      for (const status of STATUSES) expect(describeStatus(status, t, language)).not.toMatch(/[{}]/);
    }
    expect(missing).toEqual([]);
  });

  it('says how many changes wait while offline, and that they are saved on this device', () => {
    const t = translator('en', []);
    expect(describeStatus({ kind: 'offline', pending: 3 }, t, 'en')).toBe(
      'Offline — 3 changes waiting (saved on this device)',
    );
    expect(describeStatus({ kind: 'offline', pending: 1 }, t, 'en')).toBe(
      'Offline — 1 change waiting (saved on this device)',
    );
    expect(describeStatus({ kind: 'local' }, t, 'en')).toBe('Saved on this device');
  });

  it('gives the time of the last sync as hours and minutes', () => {
    const at = new Date(2025, 2, 4, 14, 2).toISOString();
    expect(describeStatus({ kind: 'synced', at }, translator('nb', []), 'nb')).toBe('Synkronisert kl. 14:02');
  });
});

describe('a failed sharing call in plain words', () => {
  it('has a message in every language for every reason the server can give', () => {
    const missing: string[] = [];
    for (const language of LANGUAGES) {
      const t = translator(language, missing);
      for (const reason of Object.keys(API_ERRORS) as ApiErrorReason[]) {
        for (const context of ['share', 'join', 'invite', 'members'] as const) {
          t(problemKey(new ApiError(reason), context));
        }
      }
      for (const reason of CLIENT_ERRORS) t(problemKey(new ClientError(reason), 'share'));
      t(problemKey(new TypeError('Failed to fetch'), 'join'));
      t(problemKey(new Error('?'), 'join'));
    }
    expect(missing).toEqual([]);
  });

  it('says why the server refused a write, for every reason it can give, in every language', () => {
    const missing: string[] = [];
    for (const language of LANGUAGES) {
      const t = translator(language, missing);
      for (const reason of Object.keys(PERMISSION_DENIED) as PermissionDeniedReason[])
        t(DENIED_MESSAGES[reason]);
    }
    expect(missing).toEqual([]);
    expect(new Set(Object.values(DENIED_MESSAGES)).size).toBe(Object.keys(PERMISSION_DENIED).length);
  });

  it('tells a used, an expired and an unknown invite apart, and a server out of reach', () => {
    const keys = [
      problemKey(new ApiError('inviteUsed'), 'join'),
      problemKey(new ApiError('inviteExpired'), 'join'),
      problemKey(new ApiError('inviteNotFound'), 'join'),
      problemKey(new ApiError('rateLimited'), 'join'),
      problemKey(new ClientError('offline'), 'join'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(translator('en', [])(keys[0]!)).toContain('already been used');
    expect(translator('en', [])(keys[4]!)).toContain('Could not reach the server');
  });
});
