/**
 * Where the master key comes from: `VARDE_MASTER_KEY` (base64 of 32 bytes) or a file
 * (`VARDE_MASTER_KEY_FILE`, default `<dataDir>/master.key`), created with mode 0600 on the
 * first start of an empty data directory — and only then: a database that already holds
 * encrypted plans never gets a new key silently.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_BYTES, MasterKey } from './cipher.ts';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKeySource {
  /** base64 (or base64url) of 32 bytes; wins over the file. */
  masterKey?: string;
  /** Default `<dataDir>/master.key`. */
  masterKeyFile?: string;
}

/**
 * Why the server refuses to start with the key it was given. main.ts prints the message and
 * exits with `EXIT_CONFIG` (78), which a supervisor should not restart (docs/operations.md).
 */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
  constructor(
    readonly reason: 'missing' | 'malformed' | 'mismatch',
    message: string,
  ) {
    super(message);
  }
}

/** sysexits.h EX_CONFIG: a configuration error that a restart cannot fix. */
export const EXIT_CONFIG = 78;

/** Where the master key file is: the one given, or `<dataDir>/master.key`. */
export function masterKeyPath(dataDir: string, source: MasterKeySource): string {
  return source.masterKeyFile || join(dataDir, MASTER_KEY_FILE);
}

function parse(text: string, where: string): MasterKey {
  const s = text.trim();
  const raw = Buffer.from(s, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) || raw.length !== KEY_BYTES) {
    throw new MasterKeyError('malformed', `${where} must hold base64 of exactly ${KEY_BYTES} bytes`);
  }
  return new MasterKey(raw);
}

/** Writes a new key file durably (fsync of file and directory) before anything depends on it. */
function createKeyFile(path: string): MasterKey {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const raw = randomBytes(KEY_BYTES);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${raw.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return new MasterKey(raw);
}

/**
 * The master key. `mayCreate` is true only for a database with no encrypted data yet; then a
 * missing key file is created. Otherwise a missing key is an error, never a new key.
 */
export function loadMasterKey(dataDir: string, source: MasterKeySource, mayCreate: boolean): MasterKey {
  if (source.masterKey) return parse(source.masterKey, 'VARDE_MASTER_KEY');
  const path = masterKeyPath(dataDir, source);
  if (existsSync(path)) return parse(readFileSync(path, 'utf8'), `master key file ${path}`);
  if (!mayCreate) {
    throw new MasterKeyError(
      'missing',
      `master key file ${path} is missing, but the database holds encrypted plans. Restore the ` +
        'key file from your backup (or set VARDE_MASTER_KEY / --master-key-file); without it the ' +
        'plans cannot be read. Nothing was changed.',
    );
  }
  return createKeyFile(path);
}
