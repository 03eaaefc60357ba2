/**
 * `npm run audit:verify -- --data-dir DIR [--master-key-file FILE] [--heads]`: checks the
 * hash chain of every plan's audit log and reports the first broken link of each.
 * Exit 0 when intact, 1 when broken, 2 when it could not check. Safe while the server runs.
 */
import { parseArgs } from 'node:util';
import { verifyDataDir } from './storage/audit-verify.ts';

function main(argv: string[]): number {
  let values: { 'data-dir'?: string; 'master-key-file'?: string; heads?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        'master-key-file': { type: 'string' },
        heads: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nUsage: npm run audit:verify -- --data-dir DIR [--master-key-file FILE] [--heads]\n`,
    );
    return 2;
  }
  const dataDir = values['data-dir'] ?? (process.env.VARDE_DATA_DIR || './data');
  const masterKeyFile = values['master-key-file'] ?? (process.env.VARDE_MASTER_KEY_FILE || '');
  const showHeads = values.heads ?? false;
  let result;
  try {
    result = verifyDataDir(dataDir, { masterKey: process.env.VARDE_MASTER_KEY, masterKeyFile });
  } catch (error) {
    process.stderr.write(`audit:verify could not check ${dataDir}: ${(error as Error).message}\n`);
    return 2;
  }
  const out: string[] = [`audit log in ${dataDir}: ${result.rows} rows in ${result.plans} plans`];
  if (result.headsNote) out.push(`note: ${result.headsNote}`);
  if (showHeads) for (const h of result.heads) out.push(`head ${h.planId} seq ${h.seq} ${h.hash}`);
  if (result.breaks.length === 0) {
    out.push(`OK: every chain is intact${result.headsChecked ? ' and every head authenticates' : ''}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }
  const first = result.breaks[0]!;
  out.push(
    `BROKEN: first broken link at ${first.rowId === null ? 'the end of a chain' : `row ${first.rowId}`}`,
  );
  for (const b of result.breaks) out.push(`  plan ${b.planId}: ${b.problem}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 1;
}

process.exit(main(process.argv.slice(2)));
