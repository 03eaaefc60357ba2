/**
 * The process's last line of defence (docs/reliability.md "Crashes"). Every input handler in
 * the server catches its own errors and closes only the connection concerned, so reaching
 * this handler means a bug, not an input: the process logs the error's name only (never its
 * message or stack, which may quote a client's bytes), closes what it can within a few
 * seconds so stored updates stay intact, and exits with EX_SOFTWARE for its supervisor to
 * restart it. Continuing after an uncaught error would risk serving a doc in an unknown state.
 */
import { errorName, type Logger } from './log.ts';

/** EX_SOFTWARE (sysexits.h): an internal error; a supervisor restarts the server. */
export const EXIT_INTERNAL = 70;
const CLOSE_TIMEOUT_MS = 5000;

export interface LastResort {
  log: Logger;
  /** Closes the server; may be called before the server has started (then it does nothing). */
  close(): Promise<void>;
  exit?: (code: number) => void;
  closeTimeoutMs?: number;
}

/**
 * Installs the process-level handlers: a fault outside every guarded handler is logged by name,
 * the server closed within `closeTimeoutMs`, and the process exits with `EXIT_INTERNAL`.
 */
export function installLastResort({
  log,
  close,
  exit = (code) => process.exit(code),
  closeTimeoutMs = CLOSE_TIMEOUT_MS,
}: LastResort): void {
  let failing = false;
  const fail = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    log.error('process.failed', { reason: kind, error: errorName(error) });
    if (failing) return;
    failing = true;
    const timer = setTimeout(() => exit(EXIT_INTERNAL), closeTimeoutMs);
    timer.unref();
    close().then(
      () => exit(EXIT_INTERNAL),
      () => exit(EXIT_INTERNAL),
    );
  };
  process.on('uncaughtException', fail('uncaughtException'));
  process.on('unhandledRejection', fail('unhandledRejection'));
}
