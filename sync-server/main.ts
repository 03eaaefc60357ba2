/** `npm run server`: starts the sync server from flags and environment (docs/operations.md). */
import { HelpRequested, configFromProcess, usage } from './config.ts';
import { startServer } from './server.ts';

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

const server = await startServer(options);
process.stdout.write(`Varde sync server listening on ${server.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
