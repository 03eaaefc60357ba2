/**
 * `npx tsx bench/hostile-memory.ts`: the most memory one client address and one member can make
 * the sync server hold with frames that never complete (issue 9, defect 2), measured.
 *
 * Each scenario gets a fresh server process on its defaults (only the HTTP rate limits lifted,
 * to register the plans the attacker uses), on 127.0.0.1, so every socket comes from one
 * address. The attacker, in this process, opens as many sockets as the server allows and sends
 * on each the start of the largest message it allows, never the end. The server's RSS
 * (/proc/<pid>/status VmRSS) is sampled every 50 ms: at rest, at its peak, and until it comes
 * back down after the server has cut every attacking socket.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { SYNC_SUBPROTOCOL, syncProtocols } from '../core/access/index.ts';
import { newPlanId } from '../core/model/ids.ts';
import { DEFAULTS } from '../sync-server/config.ts';
import { IDLE_MESSAGE_BYTES } from '../sync-server/sync/connection.ts';
import { machine } from './lib/machine.ts';
import { startMainServer } from './lib/main-server.ts';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** A JSON API call on its own connection (no keep-alive: idle sockets count against the address). */
function api(port: number, path: string, body: unknown, secret?: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Record<string, string>));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A plan's owner and `n` connection tokens for them. */
async function member(port: number, n: number): Promise<{ planId: string; tokens: string[] }> {
  const planId = newPlanId();
  const { memberSecret } = await api(port, '/api/plans', { planId, name: 'Mallory' });
  const tokens: string[] = [];
  for (let i = 0; i < n; i++)
    tokens.push((await api(port, `/api/plans/${planId}/tokens`, {}, memberSecret)).token!);
  return { planId, tokens };
}

/** A client frame header (binary, final), masked with a zero key. */
function frameHeader(length: number): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 0x82;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(length), 2);
  return h;
}

interface Attacker {
  socket: Socket;
  /** The server spoke a sync frame (authenticated) or sent its close code. */
  spoke: boolean;
  closeCode: number | null;
  /** performance.now() when the socket closed. */
  endedAt: number | null;
}

/** A socket that sends `request` and reads (and ignores) what the server says. */
function attacker(port: number, requestText: string): Attacker {
  const socket = tcpConnect(port, '127.0.0.1');
  const a: Attacker = { socket, spoke: false, closeCode: null, endedAt: null };
  socket.on('error', () => {});
  socket.on('close', () => (a.endedAt = performance.now()));
  let buf = Buffer.alloc(0);
  let upgraded = false;
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    if (!upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      buf = buf.subarray(end + 4);
    }
    while (buf.length >= 2) {
      const len7 = buf[1]! & 0x7f;
      const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
      if (buf.length < 2 + extra) return;
      const length =
        len7 === 126 ? buf.readUInt16BE(2) : len7 === 127 ? Number(buf.readBigUInt64BE(2)) : len7;
      if (buf.length < 2 + extra + length) return;
      a.spoke = true;
      if ((buf[0]! & 0x0f) === 8) a.closeCode = buf.readUInt16BE(2 + extra);
      buf = buf.subarray(2 + extra + length);
    }
  });
  socket.write(requestText);
  return a;
}

function upgradeRequest(port: number, path: string, protocols: string[], finished = true): string {
  const lines = [
    `GET /sync${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${protocols.join(', ')}`,
  ];
  return lines.join('\r\n') + (finished ? '\r\n\r\n' : '\r\n');
}

interface Attack {
  sockets: Attacker[];
  /** Payload bytes of unfinished messages the server took in. */
  held: number;
  /** The sockets whose cut ends the attack (default: all). */
  watched?: Attacker[];
}

interface Row {
  scenario: string;
  sockets: number;
  'held by server (MiB)': number;
  'idle RSS (MiB)': number;
  'peak RSS (MiB)': number;
  'peak increase (MiB)': number;
  'all cut after (s)': number;
  'RSS 10 s after cut (MiB)': number;
  'back within 10% of increase (s after cut)': string;
}

/**
 * Runs one attack on a fresh server: `attack` opens its sockets and returns them with the
 * payload bytes the server accepted to hold; then RSS is watched until every socket is cut
 * and 20 s more.
 */
async function scenario(name: string, attack: (port: number) => Promise<Attack>): Promise<Row> {
  const server = await startMainServer('hostile-memory');
  await sleep(2000);
  const idle = rssBytes(server.pid);
  let peak = idle;
  const samples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => {
    const rss = rssBytes(server.pid);
    samples.push({ at: performance.now(), rss });
    peak = Math.max(peak, rss);
  }, 50);
  const started = performance.now();
  const { sockets, held, watched = sockets } = await attack(server.port);
  const deadline = started + 180_000;
  while (watched.some((s) => s.endedAt === null) && performance.now() < deadline) await sleep(100);
  const cutAt = Math.max(...watched.map((s) => s.endedAt ?? performance.now()));
  // The attack is over once its messages are cut: it lets go of its other sockets too.
  for (const s of sockets) s.socket.destroy();
  await sleep(20_000);
  clearInterval(sampler);
  const increase = peak - idle;
  const after = (ms: number) => samples.find((s) => s.at >= cutAt + ms)?.rss ?? samples.at(-1)!.rss;
  const back = samples.find((s) => s.at >= cutAt && s.rss <= idle + increase * 0.1);
  await server.stop();
  const mib = (b: number) => Math.round((b / MiB) * 10) / 10;
  return {
    scenario: name,
    sockets: sockets.length,
    'held by server (MiB)': mib(held),
    'idle RSS (MiB)': mib(idle),
    'peak RSS (MiB)': mib(peak),
    'peak increase (MiB)': mib(increase),
    'all cut after (s)': Math.round((cutAt - started) / 100) / 10,
    'RSS 10 s after cut (MiB)': mib(after(10_000)),
    'back within 10% of increase (s after cut)': back ? ((back.at - cutAt) / 1000).toFixed(1) : '> 20',
  };
}

/** Sockets the attacker keeps for itself: none; the API calls above closed theirs. */
const SOCKETS = DEFAULTS.maxSocketsPerAddress;

/** Before the handshake: unfinished upgrade requests with ~15 KiB of headers each. */
async function beforeHandshake(port: number): Promise<Attack> {
  const filler = `X-Filler: ${'a'.repeat(15 * 1024)}\r\n`;
  const sockets: Attacker[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    sockets.push(
      attacker(port, upgradeRequest(port, `/${newPlanId()}/plan`, [SYNC_SUBPROTOCOL], false) + filler),
    );
  }
  await sleep(1000);
  return { sockets, held: SOCKETS * filler.length };
}

/**
 * Before authentication: upgrades without a token, which the server closes (4401) and then
 * waits for a close frame that never comes, each sending a message as large as it then allows.
 */
async function beforeAuth(port: number): Promise<Attack> {
  const sockets: Attacker[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    sockets.push(attacker(port, upgradeRequest(port, `/${newPlanId()}/plan`, [SYNC_SUBPROTOCOL])));
  }
  await sleep(500);
  const payload = Buffer.alloc(IDLE_MESSAGE_BYTES - 1);
  for (const s of sockets) s.socket.write(Buffer.concat([frameHeader(IDLE_MESSAGE_BYTES), payload]));
  await sleep(1000);
  const held = sockets.filter((s) => s.endedAt === null).length * payload.length;
  return { sockets, held };
}

/**
 * Authenticated: `members` members of one address, `perMember` sockets each; every socket
 * announces a full-size message; the server refuses (4529) those over the member's or the
 * address's in-flight budget at once, and the rest get all but the last byte.
 */
async function afterAuth(port: number, members: number, perMember: number): Promise<Attack> {
  const owners = [];
  for (let i = 0; i < members; i++) owners.push(await member(port, perMember));
  await sleep(200);
  const sockets: Attacker[] = [];
  for (const o of owners) {
    for (const tok of o.tokens)
      sockets.push(attacker(port, upgradeRequest(port, `/${o.planId}/plan`, syncProtocols(tok))));
  }
  const started = performance.now();
  while (sockets.some((s) => !s.spoke) && performance.now() - started < 10_000) await sleep(50);
  // One full-size announcement per member at a time, a member's first sockets first, until the
  // address's budget is spent: later announcements are refused.
  const max = DEFAULTS.maxFrameBytes;
  const payload = Buffer.alloc(max - 1);
  let held = 0;
  const watched: Attacker[] = [];
  for (let k = 0; k < perMember; k++) {
    for (let m = 0; m < members; m++) {
      const s = sockets[m * perMember + k]!;
      if (s.closeCode !== null) continue;
      s.socket.write(frameHeader(max));
      await sleep(100);
      if (s.closeCode !== null) continue;
      s.socket.write(payload);
      held += payload.length;
      watched.push(s);
    }
  }
  await sleep(1000);
  return { sockets, held, watched };
}

const m = machine();
process.stdout.write(
  `hostile-memory: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, node ${m.node}; server defaults: ` +
    `maxSocketsPerAddress ${DEFAULTS.maxSocketsPerAddress}, maxFrameBytes ${DEFAULTS.maxFrameBytes / MiB} MiB, ` +
    `memberInflightBytes ${DEFAULTS.memberInflightBytes / MiB} MiB, addressInflightBytes ${DEFAULTS.addressInflightBytes / MiB} MiB, ` +
    `frameTimeoutMs ${DEFAULTS.frameTimeoutMs} + size at ${DEFAULTS.minFrameBytesPerSecond / 1024} KiB/s\n`,
);
const rows: Row[] = [];
const perMember = DEFAULTS.maxConnectionsPerMember;
const plans: [string, (port: number) => Promise<Attack>][] = [
  ['before the handshake: unfinished upgrade requests', beforeHandshake],
  ['before authentication: no token, 64 KiB message unfinished', beforeAuth],
  [
    `one member: ${perMember} sockets, ${DEFAULTS.maxFrameBytes / MiB} MiB messages unfinished`,
    (port) => afterAuth(port, 1, perMember),
  ],
  [
    `one address: ${SOCKETS / perMember} members x ${perMember} sockets, ${DEFAULTS.maxFrameBytes / MiB} MiB messages unfinished`,
    (port) => afterAuth(port, SOCKETS / perMember, perMember),
  ],
];
const only = process.argv.slice(2).map(Number);
for (const [i, [name, run]] of plans.entries()) {
  if (only.length > 0 && !only.includes(i + 1)) continue;
  process.stdout.write(`running ${i + 1}: ${name}\n`);
  rows.push(await scenario(name, run));
  process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
}
console.table(rows);
