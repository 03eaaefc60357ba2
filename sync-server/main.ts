/** `npm run server`: starts the sync server from flags and environment (docs/operations.md). */
import { HelpRequested, configFromProcess, usage } from './config.ts';
import { EXIT_CONFIG, MasterKeyError } from './crypto/master-key.ts';
import { installLastResort } from './last-resort.ts';
import { HelpLinesError } from './help-lines.ts';
import { createLogger } from './log.ts';
import { startServer, type RunningServer } from './server.ts';

let options;
try {
  options = configFromProcess(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof HelpRequested) {
    process.stdout.write(usage());
    process.exit(0);
  }
  process.stderr.write(`${(error as Error).message}\n\n${usage()}`);
  process.exit(2);
}

let server: RunningServer | undefined;
const log = createLogger(options.logLevel ?? 'info');
installLastResort({ log, close: async () => server?.close() });
try {
  // Warm before listening: the first large input a client brings never meets cold code.
  options = { ...options, logger: log, warmUp: 'beforeListen' as const };
  server = await startServer(options);
} catch (error) {
  // A wrong or missing master key, or a help lines file that is not one, cannot be fixed by
  // restarting: say so once and exit with EX_CONFIG, which a supervisor should treat as final
  // (docs/operations.md).
  if (!(error instanceof MasterKeyError || error instanceof HelpLinesError)) throw error;
  process.stderr.write(`Varde sync server not started: ${error.message}\n`);
  process.exit(EXIT_CONFIG);
}
process.stdout.write(`Varde sync server listening on ${server!.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server!.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
