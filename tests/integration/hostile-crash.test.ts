// @vitest-environment node
/**
 * Regression for the outside probe's critical defect (issue 9, defect 1): one ~30-byte update
 * from a member who may not write, holding JSON, embed or format content that is not valid
 * JSON, ended the process; its stderr quoted the attacker's text. Run against a real server
 * process on its defaults, so that a crash shows as an exit, not a failed assertion inside a
 * test runner that catches everything. Then the same for every content shape Yjs parses or
 * nests (deep JSON, deep `any`), from every read-only seat and from a writer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import type { DocName } from '../../core/model/schema.ts';
import {
  connect,
  invitedMember,
  rawSocket,
  registerPlan,
  removeDir,
  spawnServer,
  tempDir,
  token,
  waitFor,
  type ChildServer,
  type Member,
} from '../../harness/server.ts';

const SECRET = 'ATTACKER-TEXT-7f3a';

/** A sync update frame holding one item with the given content, at the root type `m`. */
function itemFrame(contentRef: number, writeContent: (e: encoding.Encoder) => void): Uint8Array {
  const u = encoding.createEncoder();
  encoding.writeVarUint(u, 1); // one client
  encoding.writeVarUint(u, 1); // one struct
  encoding.writeVarUint(u, 1 + Math.floor(Math.random() * 1e9)); // client id
  encoding.writeVarUint(u, 0); // clock
  encoding.writeUint8(u, contentRef); // info: no origins, no parentSub
  encoding.writeVarUint(u, 1); // the parent is a root type, by name
  encoding.writeVarString(u, 'm');
  writeContent(u);
  encoding.writeVarUint(u, 0); // empty delete set
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // sync
  encoding.writeVarUint(e, 2); // update
  encoding.writeVarUint8Array(e, encoding.toUint8Array(u));
  return encoding.toUint8Array(e);
}

/** Nested lib0 `any` arrays, `depth` deep, around one undefined. */
function deepAny(depth: number): (e: encoding.Encoder) => void {
  return (e) => {
    encoding.writeVarUint(e, 1);
    for (let i = 0; i < depth; i++) {
      encoding.writeUint8(e, 117); // array
      encoding.writeVarUint(e, 1);
    }
    encoding.writeUint8(e, 127); // undefined
  };
}

/** Contents Yjs parses (JSON), or walks recursively (nested any, deep JSON), unchecked. */
const HOSTILE: [string, Uint8Array][] = [
  [
    'JSON content that is not JSON',
    itemFrame(2, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarString(e, `{${SECRET}`))),
  ],
  ['embed content that is not JSON', itemFrame(5, (e) => encoding.writeVarString(e, `{"a":${SECRET}`))],
  [
    'format content whose value is not JSON',
    itemFrame(6, (e) => (encoding.writeVarString(e, 'bold'), encoding.writeVarString(e, SECRET))),
  ],
  [
    'JSON content nested 100,000 deep',
    itemFrame(
      2,
      (e) => (
        encoding.writeVarUint(e, 1),
        encoding.writeVarString(e, '['.repeat(100_000) + ']'.repeat(100_000))
      ),
    ),
  ],
  ['any content nested 100,000 deep', itemFrame(8, deepAny(100_000))],
  [
    'JSON content with a lone surrogate escape and a truncated tail',
    itemFrame(2, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarString(e, `"\\ud800${SECRET}`))),
  ],
];

let s: ChildServer;
let dataDir: string;
let owner: Member;
const seats: { who: string; member: Member; doc: DocName }[] = [];

beforeAll(async () => {
  dataDir = tempDir();
  s = await spawnServer({ VARDE_DATA_DIR: dataDir, VARDE_REGISTER_PER_MINUTE: '1000' });
  owner = await registerPlan(s.url);
  const network = await invitedMember(s.url, owner, 'network', 'Nabo');
  const relative = await invitedMember(s.url, owner, 'relative', 'Ola');
  const therapist = await invitedMember(s.url, owner, 'therapist', 'Terapeut');
  seats.push(
    { who: 'network on plan', member: network, doc: 'plan' },
    { who: 'network on plan-notes', member: network, doc: 'plan-notes' },
    { who: 'relative on goals', member: relative, doc: 'goals' },
    { who: 'therapist on goals', member: therapist, doc: 'goals' },
    { who: 'the owner (a writer) on plan', member: owner, doc: 'plan' },
  );
}, 30_000);

afterAll(async () => {
  s?.child.kill();
  await s?.exited;
  removeDir(dataDir);
});

async function send(member: Member, doc: DocName, frame: Uint8Array): Promise<number | 'open'> {
  const socket = rawSocket(s.wsUrl, `/${member.planId}/${doc}`, {
    protocols: syncProtocols((await token(s.url, member)).token),
  });
  expect(await socket.opened).toBe(true);
  await waitFor(() => socket.messages.length > 0, { what: 'server step 1' });
  socket.ws.send(frame);
  const result = await Promise.race([
    socket.closed.then((c) => c.code),
    new Promise<'open'>((r) => setTimeout(() => r('open'), 3000)),
  ]);
  socket.ws.terminate();
  return result;
}

describe('one hostile update from any member', () => {
  it('is refused with badMessage, and the server, its other clients and its logs are unharmed', async () => {
    const watcher = await connect(s, owner, 'plan');
    await watcher.synced();
    const closes: string[] = [];
    for (const seat of seats) {
      for (const [what, frame] of HOSTILE) {
        closes.push(`${seat.who}, ${what}: ${await send(seat.member, seat.doc, frame)}`);
        expect(s.child.exitCode, `${seat.who}, ${what}`).toBeNull();
      }
    }
    expect(closes).toEqual(
      seats.flatMap((seat) => HOSTILE.map(([what]) => `${seat.who}, ${what}: ${CLOSE_CODES.badMessage}`)),
    );

    // Still serving: health, and a new edit reaches a fresh device.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    watcher.doc.getText('t').insert(0, 'still here');
    const fresh = await connect(s, owner, 'plan');
    await waitFor(() => fresh.doc.getText('t').toString() === 'still here', {
      what: 'edit after the attack',
    });
    expect(watcher.closes).toEqual([]);
    // Nothing the attacker wrote reached a doc or the output.
    expect(JSON.stringify(fresh.doc.toJSON())).not.toContain(SECRET);
    expect(s.output()).not.toContain(SECRET);
    expect(s.output()).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    watcher.destroy();
    fresh.destroy();
  }, 120_000);

  it('a well-formed update from a reader is still only refused (writeDenied), never applied', async () => {
    const [network] = seats;
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'from a reader');
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc));
    expect(await send(network!.member, 'plan', encoding.toUint8Array(e))).toBe('open');
    const check = await connect(s, owner, 'plan');
    await check.synced();
    expect(check.doc.getText('t').toString()).toBe('still here');
    check.destroy();
  }, 30_000);
});
