/**
 * Server configuration: defaults, environment variables and command-line flags (flags win).
 * docs/operations.md lists every setting.
 */
import { LOG_LEVELS, type LogLevel, type Logger } from './log.ts';
import type { Storage } from './storage/types.ts';

/** Every setting of the server; docs/operations.md "Configuration" lists each with its flag. */
export interface ServerConfig {
  port: number;
  /** 127.0.0.1 by default: the server is meant to sit behind a TLS reverse proxy. */
  host: string;
  dataDir: string;
  /** Allowed `Origin` values; `*` matches any run of characters. No Origin is always allowed. */
  allowedOrigins: string[];
  /** Largest WebSocket frame accepted; a larger one closes the connection (4413). */
  maxFrameBytes: number;
  /** Largest JSON request body. */
  maxBodyBytes: number;
  /** Sustained WebSocket frames per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  messageBurst: number;
  tokenTtlSeconds: number;
  inviteTtlSeconds: number;
  maxInviteTtlSeconds: number;
  /** Invite redemptions per minute per client address (guessing codes is hopeless anyway). */
  redeemPerMinute: number;
  /** Plan registrations per minute per client address. */
  registerPerMinute: number;
  /** Other API requests per minute per client address. */
  apiPerMinute: number;
  /** A doc with no connection stays loaded this long, then is unloaded. */
  roomIdleMs: number;
  /** Stored updates of one doc that trigger a background compaction. */
  compactThreshold: number;
  /** How often coalesced audit events (`doc.wrote`) are written. */
  auditFlushMs: number;
  /** Use X-Forwarded-For for the client address (only behind a proxy you run). */
  trustProxy: boolean;
  logLevel: LogLevel;
  /**
   * Who may register plans: anyone who can reach the server (`open`), holders of a registration
   * code from the operator (`code`), or nobody (`closed`). Unset: `open` on a loopback host not
   * behind a proxy (a development server), otherwise `code`.
   */
  registration: Registration;
  /** Most plans the server holds, and most registered from one address (0: no bound). */
  maxPlans: number;
  maxPlansPerAddress: number;
  // ---- Limits per connection and per member (docs/protocol.md "Limits") ----
  /** Sustained bytes per second per connection (received, plus the answers it asks for). */
  bytesPerSecond: number;
  byteBurst: number;
  /** Presence updates per second per connection that are relayed at once; more are coalesced. */
  awarenessPerSecond: number;
  awarenessBurst: number;
  /**
   * Largest doc, as encoded: an update that could grow a doc beyond it is refused
   * (`docTooLarge`). A bound on the real encoded size after the update, not a sum of inputs.
   */
  maxDocBytes: number;
  /** Most structs a doc may hold (what a loaded doc costs in memory and CPU follows it). */
  maxDocStructs: number;
  /** Most structs plus delete ranges in one update; bounds the cost of decoding it. */
  maxUpdateStructs: number;
  /** Sync step 1 messages (each answered with an encode of the doc) per second per connection. */
  stateVectorsPerSecond: number;
  stateVectorBurst: number;
  /** Time any WebSocket message gets to arrive whole, plus its size at `minFrameBytesPerSecond`. */
  frameTimeoutMs: number;
  minFrameBytesPerSecond: number;
  /** Time from the WebSocket handshake to an authenticated connection with its doc loaded. */
  authTimeoutMs: number;
  /** Bytes of unfinished WebSocket messages one member may have in flight, all connections. */
  memberInflightBytes: number;
  /** Open sockets per client address (per forwarded address behind a trusted proxy). */
  maxSocketsPerAddress: number;
  /** Bytes of unfinished WebSocket messages one client address may have in flight. */
  addressInflightBytes: number;
  /** Bytes the store may hold; at or above it, new plans and growing writes are refused (0: none). */
  maxStoredBytes: number;
  /** Open connections per member (all docs, all devices). */
  maxConnectionsPerMember: number;
  /** Frames and bytes per second per member, across all their connections. */
  memberMessagesPerSecond: number;
  memberBytesPerSecond: number;
  /** Unsent bytes the server holds for one connection before closing it (`slowReader`). */
  maxSendBufferBytes: number;
  /** The key that wraps every plan's data key; empty means `<dataDir>/master.key`. */
  masterKeyFile: string;
  /** base64 of the 32-byte master key; wins over the file. Environment only, never a flag. */
  masterKey: string;
  /** A JSON file of the operator's help lines for members' crisis cards; empty for none. */
  helpLinesFile: string;
}

export const REGISTRATIONS = ['open', 'code', 'closed'] as const;
export type Registration = (typeof REGISTRATIONS)[number];

export interface ServerOptions extends Partial<ServerConfig> {
  /** Where log lines go (tests capture them); default stdout. */
  logger?: Logger;
  /** Another storage implementation; default SQLite in `dataDir`. */
  storage?: Storage;
  /**
   * When to run the warm-up (sync/warm-up.ts): `beforeListen`, so no input meets cold code
   * (about 0.5 s more per start; `npm run server` does); `inTurns` after the start (the
   * default), where the first large input may race it; `off` (tests that start many servers
   * in one process).
   */
  warmUp?: 'beforeListen' | 'inTurns' | 'off';
}

export const DEFAULTS: ServerConfig = {
  port: 1234,
  host: '127.0.0.1',
  dataDir: './data',
  allowedOrigins: ['chrome-extension://*', 'moz-extension://*'],
  // A whole offline-edited plan doc arrives in one sync step 2. Plans are text: "two years of
  // weekly use" is ~170 KB a doc, so 2 MiB is twelve times that, while the time one frame can
  // hold the event loop (decoding, dry-running and measuring it) stays near 100 ms.
  maxFrameBytes: 2 * 1024 * 1024,
  maxBodyBytes: 64 * 1024,
  // Typing makes ~20 frames/s (update + caret awareness); 100/s with a burst of 500 leaves
  // room for reconnect floods without letting one client monopolise the process.
  messagesPerSecond: 100,
  messageBurst: 500,
  tokenTtlSeconds: 10 * 60,
  inviteTtlSeconds: 7 * 24 * 3600,
  maxInviteTtlSeconds: 30 * 24 * 3600,
  redeemPerMinute: 10,
  registerPerMinute: 10,
  apiPerMinute: 300,
  roomIdleMs: 30_000,
  compactThreshold: 500,
  auditFlushMs: 60_000,
  trustProxy: false,
  logLevel: 'info',
  registration: 'open',
  maxPlans: 0,
  // A household or a clinic's network registers a handful; an address that registers more is
  // probably collecting roles in plans of its own (docs/security.md).
  maxPlansPerAddress: 50,
  // ---- Limits (docs/protocol.md "Limits") ----
  // 1 MiB/s is ~50x a fast typist; the burst lets a whole capped doc in and its answer out.
  bytesPerSecond: 1024 * 1024,
  byteBurst: 24 * 1024 * 1024,
  // A held-down key moves a caret ~30 times a second; relaying 20 keeps carets live while
  // bounding the fan-out one connection can cause. Extra states are coalesced, not dropped.
  awarenessPerSecond: 20,
  awarenessBurst: 40,
  // 64 KiB under the frame limit, so a doc under the cap always fits in one sync step 2 frame
  // with its headers (a doc that could not be uploaded again would be stuck on its devices).
  maxDocBytes: 2 * 1024 * 1024 - 64 * 1024,
  // "Two years of weekly use" (bench/lib/docs.ts) is about 8,200 structs; twelve times that.
  // A struct costs ~200-350 bytes of heap in each of the doc's two server copies, so a capped
  // doc holds ~50-70 MB at most; loading it costs ~3.5 µs a struct a copy (2 vCPUs), each copy
  // in a turn of its own (docs/reliability.md "Crashes").
  maxDocStructs: 100_000,
  // Decoding, dry-running and applying an update costs ~6 µs a struct once warm (2 vCPUs), so
  // 20,000 keep any one frame near 100 ms; that is still 2.5 times the two-year plan at once.
  maxUpdateStructs: 20_000,
  // A client sends one per connection; a resync or a reconnect storm a few more.
  stateVectorsPerSecond: 2,
  stateVectorBurst: 10,
  // 5 s, plus 1 s per 128 KiB (about 1 Mbit/s, a poor mobile uplink): a full 2 MiB frame gets
  // 21 s, a keystroke 5 s.
  frameTimeoutMs: 5000,
  minFrameBytesPerSecond: 128 * 1024,
  authTimeoutMs: 10_000,
  // Two full-size frames: one device's sync step 2 of a capped doc, and typing on another.
  memberInflightBytes: 16 * 1024 * 1024,
  // A clinic's staff behind one NAT: ~12 sockets a person (3 open pages x 4 docs), 20 people.
  maxSocketsPerAddress: 256,
  addressInflightBytes: 32 * 1024 * 1024,
  maxStoredBytes: 0,
  // Four docs, in a few open pages (popup, side panel, tab) on a device, with room to spare.
  maxConnectionsPerMember: 32,
  memberMessagesPerSecond: 400,
  memberBytesPerSecond: 4 * 1024 * 1024,
  // Two capped docs' worth: a sync step 2 of a full doc plus what others type meanwhile.
  maxSendBufferBytes: 16 * 1024 * 1024,
  masterKeyFile: '',
  masterKey: '',
  helpLinesFile: '',
};

type Parser = (value: string) => unknown;
const int: Parser = (v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${v}`);
  return n;
};
const str: Parser = (v) => v;
const list: Parser = (v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const bool: Parser = (v) => ['1', 'true', 'yes'].includes(v.toLowerCase());
const registration: Parser = (v) => {
  if (!(REGISTRATIONS as readonly string[]).includes(v)) {
    throw new Error(`--registration must be open, code or closed: ${v}`);
  }
  return v;
};
const level: Parser = (v) => {
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`unknown log level: ${v}`);
  return v;
};

interface Setting {
  key: keyof ServerConfig;
  flag: string;
  env: string;
  parse: Parser;
  /** Secrets are read from the environment only: a flag would show in `ps` and shell history. */
  envOnly?: true;
  /** What `--help` shows as the default, when the raw default says nothing. */
  shownDefault?: string;
}

/** Every setting: its flag, environment variable and parser. */
export const SETTINGS: Setting[] = [
  { key: 'port', flag: 'port', env: 'PORT', parse: int },
  { key: 'host', flag: 'host', env: 'HOST', parse: str },
  { key: 'dataDir', flag: 'data-dir', env: 'VARDE_DATA_DIR', parse: str },
  { key: 'allowedOrigins', flag: 'allowed-origins', env: 'VARDE_ALLOWED_ORIGINS', parse: list },
  { key: 'maxFrameBytes', flag: 'max-frame-bytes', env: 'VARDE_MAX_FRAME_BYTES', parse: int },
  { key: 'maxBodyBytes', flag: 'max-body-bytes', env: 'VARDE_MAX_BODY_BYTES', parse: int },
  { key: 'messagesPerSecond', flag: 'messages-per-second', env: 'VARDE_MESSAGES_PER_SECOND', parse: int },
  { key: 'messageBurst', flag: 'message-burst', env: 'VARDE_MESSAGE_BURST', parse: int },
  { key: 'tokenTtlSeconds', flag: 'token-ttl', env: 'VARDE_TOKEN_TTL_SECONDS', parse: int },
  { key: 'inviteTtlSeconds', flag: 'invite-ttl', env: 'VARDE_INVITE_TTL_SECONDS', parse: int },
  { key: 'maxInviteTtlSeconds', flag: 'max-invite-ttl', env: 'VARDE_MAX_INVITE_TTL_SECONDS', parse: int },
  { key: 'redeemPerMinute', flag: 'redeem-per-minute', env: 'VARDE_REDEEM_PER_MINUTE', parse: int },
  { key: 'registerPerMinute', flag: 'register-per-minute', env: 'VARDE_REGISTER_PER_MINUTE', parse: int },
  { key: 'apiPerMinute', flag: 'api-per-minute', env: 'VARDE_API_PER_MINUTE', parse: int },
  { key: 'roomIdleMs', flag: 'room-idle-ms', env: 'VARDE_ROOM_IDLE_MS', parse: int },
  { key: 'compactThreshold', flag: 'compact-threshold', env: 'VARDE_COMPACT_THRESHOLD', parse: int },
  { key: 'auditFlushMs', flag: 'audit-flush-ms', env: 'VARDE_AUDIT_FLUSH_MS', parse: int },
  { key: 'trustProxy', flag: 'trust-proxy', env: 'VARDE_TRUST_PROXY', parse: bool },
  { key: 'logLevel', flag: 'log-level', env: 'VARDE_LOG_LEVEL', parse: level },
  {
    key: 'registration',
    flag: 'registration',
    env: 'VARDE_REGISTRATION',
    parse: registration,
    shownDefault: 'open on a loopback host without --trust-proxy, else code',
  },
  { key: 'maxPlans', flag: 'max-plans', env: 'VARDE_MAX_PLANS', parse: int },
  {
    key: 'maxPlansPerAddress',
    flag: 'max-plans-per-address',
    env: 'VARDE_MAX_PLANS_PER_ADDRESS',
    parse: int,
  },
  // ---- Limits ----
  { key: 'bytesPerSecond', flag: 'bytes-per-second', env: 'VARDE_BYTES_PER_SECOND', parse: int },
  { key: 'byteBurst', flag: 'byte-burst', env: 'VARDE_BYTE_BURST', parse: int },
  { key: 'awarenessPerSecond', flag: 'awareness-per-second', env: 'VARDE_AWARENESS_PER_SECOND', parse: int },
  { key: 'awarenessBurst', flag: 'awareness-burst', env: 'VARDE_AWARENESS_BURST', parse: int },
  { key: 'maxDocBytes', flag: 'max-doc-bytes', env: 'VARDE_MAX_DOC_BYTES', parse: int },
  { key: 'maxDocStructs', flag: 'max-doc-structs', env: 'VARDE_MAX_DOC_STRUCTS', parse: int },
  { key: 'maxUpdateStructs', flag: 'max-update-structs', env: 'VARDE_MAX_UPDATE_STRUCTS', parse: int },
  {
    key: 'stateVectorsPerSecond',
    flag: 'state-vectors-per-second',
    env: 'VARDE_STATE_VECTORS_PER_SECOND',
    parse: int,
  },
  { key: 'stateVectorBurst', flag: 'state-vector-burst', env: 'VARDE_STATE_VECTOR_BURST', parse: int },
  { key: 'frameTimeoutMs', flag: 'frame-timeout-ms', env: 'VARDE_FRAME_TIMEOUT_MS', parse: int },
  {
    key: 'minFrameBytesPerSecond',
    flag: 'min-frame-bytes-per-second',
    env: 'VARDE_MIN_FRAME_BYTES_PER_SECOND',
    parse: int,
  },
  { key: 'authTimeoutMs', flag: 'auth-timeout-ms', env: 'VARDE_AUTH_TIMEOUT_MS', parse: int },
  {
    key: 'memberInflightBytes',
    flag: 'member-inflight-bytes',
    env: 'VARDE_MEMBER_INFLIGHT_BYTES',
    parse: int,
  },
  {
    key: 'maxSocketsPerAddress',
    flag: 'max-sockets-per-address',
    env: 'VARDE_MAX_SOCKETS_PER_ADDRESS',
    parse: int,
  },
  { key: 'maxStoredBytes', flag: 'max-stored-bytes', env: 'VARDE_MAX_STORED_BYTES', parse: int },
  {
    key: 'addressInflightBytes',
    flag: 'address-inflight-bytes',
    env: 'VARDE_ADDRESS_INFLIGHT_BYTES',
    parse: int,
  },
  {
    key: 'maxConnectionsPerMember',
    flag: 'max-connections-per-member',
    env: 'VARDE_MAX_CONNECTIONS_PER_MEMBER',
    parse: int,
  },
  {
    key: 'memberMessagesPerSecond',
    flag: 'member-messages-per-second',
    env: 'VARDE_MEMBER_MESSAGES_PER_SECOND',
    parse: int,
  },
  {
    key: 'memberBytesPerSecond',
    flag: 'member-bytes-per-second',
    env: 'VARDE_MEMBER_BYTES_PER_SECOND',
    parse: int,
  },
  {
    key: 'maxSendBufferBytes',
    flag: 'max-send-buffer-bytes',
    env: 'VARDE_MAX_SEND_BUFFER_BYTES',
    parse: int,
  },
  {
    key: 'masterKeyFile',
    flag: 'master-key-file',
    env: 'VARDE_MASTER_KEY_FILE',
    parse: str,
    shownDefault: '<data-dir>/master.key',
  },
  {
    key: 'helpLinesFile',
    flag: 'help-lines-file',
    env: 'VARDE_HELP_LINES_FILE',
    parse: str,
    shownDefault: '(none)',
  },
  {
    key: 'masterKey',
    flag: 'master-key',
    env: 'VARDE_MASTER_KEY',
    parse: str,
    envOnly: true,
    shownDefault: '(none)',
  },
];

/** Reads settings from the environment, then `--flag value` / `--flag=value` arguments. */
export function configFromProcess(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Partial<ServerConfig> {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const v = env[s.env];
    if (v !== undefined && v !== '') out[s.key] = s.parse(v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new HelpRequested();
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const setting = m && SETTINGS.find((s) => s.flag === m[1] && !s.envOnly);
    if (!m || !setting) throw new Error(`unknown argument: ${arg}`);
    let value = m[2];
    if (value === undefined) {
      if (setting.parse === bool && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) {
        value = 'true';
      } else {
        value = argv[++i];
        if (value === undefined) throw new Error(`missing value for --${setting.flag}`);
      }
    }
    out[setting.key] = setting.parse(value);
  }
  return out as Partial<ServerConfig>;
}

/** Thrown by `configFromProcess` for `--help` or `-h`: the entrypoint prints `usage()` and exits 0. */
export class HelpRequested extends Error {}

/** `--help`: every flag with its environment variable and default. */
export function usage(): string {
  const lines = SETTINGS.map((s) => {
    const flag = s.envOnly ? '(environment only)' : `--${s.flag}`;
    return `  ${flag.padEnd(24)} ${s.env.padEnd(30)} default ${s.shownDefault ?? JSON.stringify(DEFAULTS[s.key])}`;
  });
  return `Usage: npm run server -- [flags]\n\n  flag                     environment variable\n${lines.join('\n')}\n`;
}

/** The defaults overlaid with what was given; an unset `registration` follows the host. */
export function resolveConfig(options: Partial<ServerConfig>): ServerConfig {
  const config: ServerConfig = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined && k in DEFAULTS) (config as unknown as Record<string, unknown>)[k] = v;
  }
  if (options.registration === undefined) {
    config.registration = isLoopback(config.host) && !config.trustProxy ? 'open' : 'code';
  }
  return config;
}

/** A host only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `*` in a pattern matches any run of characters; everything else is literal. */
export function originAllowed(origin: string | undefined, patterns: readonly string[]): boolean {
  if (origin === undefined) return true;
  return patterns.some((p) => {
    const re = new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`);
    return re.test(origin);
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
