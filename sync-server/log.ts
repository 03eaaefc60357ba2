/**
 * Structured logging that cannot leak: a log line carries an event name and only the fields
 * typed below (ids, codes, counts). There is no free-text field, so no secret, token or plan
 * content can reach a log by accident; errors are logged by name, never by message (a
 * JSON.parse message quotes its input).
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogFields {
  planId?: string;
  memberId?: string;
  targetId?: string;
  doc?: string;
  code?: number;
  status?: number;
  method?: string;
  route?: string;
  reason?: string;
  count?: number;
  bytes?: number;
  ms?: number;
  port?: number;
  host?: string;
  dataDir?: string;
  /** Who may register plans (`open`, `code`, `closed`). */
  registration?: string;
  error?: string;
}

export type LogSink = (line: string) => void;

/** What every part of the server logs through; tests capture the lines. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** The name of an error, safe to log (never its message). */
export function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return typeof error;
}

/** JSON lines of an event name and fixed id and number fields (`LogFields`): never content. */
export function createLogger(level: LogLevel, sink: LogSink = (l) => process.stdout.write(l)): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const write = (lvl: Exclude<LogLevel, 'silent'>, event: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    sink(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...fields }) + '\n');
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}
