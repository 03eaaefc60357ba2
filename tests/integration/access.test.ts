// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CLOSE_CODES,
  PERMISSION_DENIED,
  canRead,
  canWrite,
  ROLE_PRESETS,
  type Preset,
} from '../../core/access/index.ts';
import { DOC_NAMES, type DocName } from '../../core/model/schema.ts';
import { connect, invitedMember, registerPlan, sleep, waitFor, type Member } from '../../harness/server.ts';
import { withServer } from './with-server.ts';

/** DESIGN.md "Access", written out by hand so the test does not trust core/access. */
const EXPECTED: Record<Preset, Record<DocName, { read: boolean; write: boolean }>> = {
  participant: {
    goals: { read: true, write: true },
    'goals-notes': { read: true, write: true },
    plan: { read: true, write: true },
    'plan-notes': { read: true, write: true },
  },
  relative: {
    goals: { read: true, write: false },
    'goals-notes': { read: true, write: true },
    plan: { read: true, write: true },
    'plan-notes': { read: true, write: true },
  },
  therapist: {
    goals: { read: true, write: false },
    'goals-notes': { read: true, write: true },
    plan: { read: true, write: true },
    'plan-notes': { read: true, write: true },
  },
  network: {
    goals: { read: false, write: false },
    'goals-notes': { read: false, write: false },
    plan: { read: true, write: false },
    'plan-notes': { read: true, write: false },
  },
};

const CASES = (Object.keys(EXPECTED) as Preset[]).flatMap((preset) =>
  DOC_NAMES.map((doc) => {
    const { read, write } = EXPECTED[preset][doc];
    const title = !read
      ? `a ${preset} is refused ${doc}`
      : `a ${preset} reads ${doc} ${write ? 'and writes it' : 'but cannot write it'}`;
    return [title, { preset, doc, read, write }] as const;
  }),
);

const t = withServer();
const owners = new Map<Preset, Member>();
const members = new Map<Preset, Member>();

beforeAll(async () => {
  for (const preset of Object.keys(EXPECTED) as Preset[]) {
    const owner = await registerPlan(t.url, `Owner of ${preset}`);
    owners.set(preset, owner);
    members.set(
      preset,
      preset === 'participant' ? owner : await invitedMember(t.url, owner, preset, `A ${preset}`),
    );
  }
});

describe('core/access', () => {
  it.each(CASES)('agrees with DESIGN.md that %s', (_title, { preset, doc, read, write }) => {
    expect(canRead(ROLE_PRESETS[preset], doc)).toBe(read);
    expect(canWrite(ROLE_PRESETS[preset], doc)).toBe(write);
  });
});

describe('the sync server enforces access for every preset and doc', () => {
  it.each(CASES)('enforces that %s', async (_title, { preset, doc, read, write }) => {
    const owner = owners.get(preset)!;
    const member = members.get(preset)!;
    // The owner puts something in the doc for the member to read.
    const ownerClient = await connect(t, owner, doc);
    ownerClient.doc.getMap('probe').set('fromOwner', `${preset}/${doc}`);
    await ownerClient.synced();

    const memberDoc = new Y.Doc();
    const client = await connect(t, member, doc, { doc: memberDoc });
    try {
      if (!read) {
        await waitFor(() => client.closes.length > 0, { what: 'refusal' });
        expect(client.closes[0]!.code).toBe(CLOSE_CODES.forbidden);
        expect(client.provider.synced).toBe(false);
        expect(memberDoc.getMap('probe').size).toBe(0);
        // The default y-websocket shouldReconnect stops on 44xx codes.
        expect(client.provider.shouldConnect).toBe(false);
        return;
      }
      await client.synced();
      await waitFor(() => memberDoc.getMap('probe').get('fromOwner') === `${preset}/${doc}`, {
        what: 'owner content',
      });

      memberDoc.getMap('probe').set('fromMember', preset);
      if (write) {
        await waitFor(() => ownerClient.doc.getMap('probe').get('fromMember') === preset, {
          what: 'member write',
        });
        expect(client.denied).toEqual([]);
      } else {
        await waitFor(() => client.denied.length > 0, { what: 'permission-denied' });
        expect(client.denied[0]).toBe(PERMISSION_DENIED.writeDenied);
        await sleep(100);
        expect(ownerClient.doc.getMap('probe').has('fromMember')).toBe(false);
        // The connection stays open for reading.
        ownerClient.doc.getMap('probe').set('later', 1);
        await waitFor(() => memberDoc.getMap('probe').get('later') === 1, { what: 'reading goes on' });
        // A fresh reader sees the server's state: the denied write is not in it.
        const fresh = await connect(t, owner, doc);
        await fresh.synced();
        expect(fresh.doc.getMap('probe').has('fromMember')).toBe(false);
        expect(fresh.doc.getMap('probe').get('later')).toBe(1);
        fresh.destroy();
      }
    } finally {
      client.destroy();
      ownerClient.destroy();
    }
  });
});
