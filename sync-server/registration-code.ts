/**
 * `npm run registration-code -- <create|list|revoke> [...]`: the operator's registration codes
 * (docs/operations.md "Who may register plans"). Safe while the server runs.
 *
 *   create [--uses N] [--days D]   a code good for N plans (default 1) for D days (default 30)
 *   list                           every code: id, plans left, expiry, revoked
 *   revoke ID                      the code registers nothing more
 *
 * `--data-dir` and `--master-key-file` (or VARDE_DATA_DIR, VARDE_MASTER_KEY_FILE,
 * VARDE_MASTER_KEY) name the server's data, as for the server itself.
 * Exit 0 on success, 1 when the code to revoke does not exist, 2 on a usage or storage error.
 */
import { parseArgs } from 'node:util';
import { newId } from '../core/model/ids.ts';
import { hashRegistrationCode, newRegistrationCode, normalizeRegistrationCode } from './registration.ts';
import { openSqliteStorage } from './storage/sqlite.ts';

const USAGE =
  'Usage: npm run registration-code -- create [--uses N] [--days D] | list | revoke ID\n' +
  '       [--data-dir DIR] [--master-key-file FILE]\n';
const DAY_MS = 24 * 3600 * 1000;

async function main(argv: string[]): Promise<number> {
  // Unknown flags throw (caught below: usage, exit 2).
  const { values, positionals: words } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: process.env.VARDE_DATA_DIR || './data' },
      'master-key-file': { type: 'string', default: process.env.VARDE_MASTER_KEY_FILE || '' },
      uses: { type: 'string', default: '1' },
      days: { type: 'string', default: '30' },
    },
  });
  const count = (flag: 'uses' | 'days', max: number) => {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${flag} must be 1–${max}`);
    return n;
  };
  const uses = count('uses', 100_000);
  const days = count('days', 3650);
  const dataDir = values['data-dir'];
  const masterKeyFile = values['master-key-file'];
  const [command, id] = words;
  if (!command || !['create', 'list', 'revoke'].includes(command) || (command === 'revoke') !== !!id) {
    process.stderr.write(USAGE);
    return 2;
  }
  const storage = openSqliteStorage(dataDir, { masterKey: process.env.VARDE_MASTER_KEY, masterKeyFile });
  try {
    const meta = storage.meta;
    if (command === 'create') {
      const code = newRegistrationCode();
      const now = Date.now();
      const record = {
        id: newId(),
        createdAt: now,
        expiresAt: now + days * DAY_MS,
        usesLeft: uses,
        revokedAt: null,
      };
      await meta.createRegistrationCode(record, hashRegistrationCode(normalizeRegistrationCode(code)!));
      process.stdout.write(
        `Registration code (give it to the person who registers; it is shown only now):\n\n  ${code}\n\n` +
          `id ${record.id}, good for ${uses} plan${uses === 1 ? '' : 's'} until ${new Date(record.expiresAt).toISOString()}\n`,
      );
      return 0;
    }
    if (command === 'list') {
      const now = Date.now();
      const codes = await meta.listRegistrationCodes();
      if (codes.length === 0) process.stdout.write('No registration codes.\n');
      for (const c of codes) {
        const state =
          c.revokedAt !== null
            ? 'revoked'
            : c.expiresAt <= now
              ? 'expired'
              : c.usesLeft === 0
                ? 'used up'
                : 'valid';
        process.stdout.write(
          `${c.id}  ${state.padEnd(8)} ${String(c.usesLeft).padStart(6)} plans left  expires ${new Date(c.expiresAt).toISOString()}\n`,
        );
      }
      return 0;
    }
    if (await meta.revokeRegistrationCode(id!, Date.now())) {
      process.stdout.write(`Revoked ${id}: it registers no more plans.\n`);
      return 0;
    }
    process.stderr.write(`No code ${id} that is not already revoked.\n`);
    return 1;
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`registration-code: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  },
);
