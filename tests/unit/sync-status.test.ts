import { describe, expect, it } from 'vitest';
import {
  ValueStore,
  aggregatePresence,
  aggregateStatus,
  type LinkState,
  type MemberAccess,
} from '../../core/sync/status.ts';

const link = (doc: LinkState['doc'], patch: Partial<LinkState> = {}): LinkState => ({
  doc,
  synced: false,
  failed: false,
  pending: 0,
  ...patch,
});
const AT = '2025-01-01T14:02:00.000Z';
const all = (patch: Partial<LinkState>) =>
  (['goals', 'goals-notes', 'plan', 'plan-notes'] as const).map((d) => link(d, patch));

describe('aggregateStatus', () => {
  it('is connecting before any doc has synced or failed', () => {
    expect(aggregateStatus({ refused: null, unreachable: false, links: all({}), syncedAt: null })).toEqual({
      kind: 'connecting',
      pending: 0,
    });
    expect(aggregateStatus({ refused: null, unreachable: false, links: [], syncedAt: null }).kind).toBe(
      'connecting',
    );
  });

  it('is synced only when every connected doc is synced', () => {
    const links = all({ synced: true });
    expect(aggregateStatus({ refused: null, unreachable: false, links, syncedAt: AT })).toEqual({
      kind: 'synced',
      at: AT,
    });
    links[2] = link('plan', { synced: false, pending: 2 });
    expect(aggregateStatus({ refused: null, unreachable: false, links, syncedAt: AT })).toEqual({
      kind: 'connecting',
      pending: 2,
    });
  });

  it('is synced with only the docs a member may read (a network member has two)', () => {
    const links = [link('plan', { synced: true }), link('plan-notes', { synced: true })];
    expect(aggregateStatus({ refused: null, unreachable: false, links, syncedAt: AT }).kind).toBe('synced');
  });

  it('is offline with the sum of waiting changes once a connection failed', () => {
    const links = [
      link('goals', { failed: true, pending: 1 }),
      link('goals-notes', { failed: true }),
      link('plan', { failed: true, pending: 3 }),
      link('plan-notes', { synced: true }),
    ];
    expect(aggregateStatus({ refused: null, unreachable: false, links, syncedAt: AT })).toEqual({
      kind: 'offline',
      pending: 4,
    });
  });

  it('is offline when no server answers the token request, even before any socket', () => {
    expect(aggregateStatus({ refused: null, unreachable: true, links: [], syncedAt: null })).toEqual({
      kind: 'offline',
      pending: 0,
    });
  });

  it('is refused above everything else', () => {
    expect(
      aggregateStatus({ refused: 'revoked', unreachable: true, links: all({ synced: true }), syncedAt: AT }),
    ).toEqual({ kind: 'refused', reason: 'revoked' });
  });
});

const me: MemberAccess = {
  memberId: 'm-kari',
  role: 'participant',
  levels: { goals: 'edit', plan: 'edit' },
  name: 'Kari',
  color: '#123456',
  isOwner: true,
};
const user = (memberId: string, name: string, role = 'relative', color = '#abcdef') => ({
  user: { memberId, name, role, color },
});

describe('aggregatePresence', () => {
  it('lists each member once across docs, self first, then by name', () => {
    const peers = aggregatePresence(
      [
        user('m-ola', 'Ola'),
        user('m-berg', 'Berg', 'therapist'),
        user('m-ola', 'Ola'),
        user('m-kari', 'Kari'),
      ],
      me,
    );
    expect(peers.map((p) => [p.name, p.self])).toEqual([
      ['Kari', true],
      ['Berg', false],
      ['Ola', false],
    ]);
  });

  it('skips states without a well-formed server-stamped user', () => {
    const peers = aggregatePresence(
      [null, {}, { user: { name: 'no id', color: '#fff' } }, user('m-x', 'X', 'boss'), { cursor: {} }],
      null,
    );
    expect(peers).toEqual([]);
  });
});

describe('ValueStore', () => {
  it('keeps the same object and stays quiet until the value really changes', () => {
    const store = new ValueStore({ kind: 'offline', pending: 1 });
    let calls = 0;
    store.subscribe(() => calls++);
    const first = store.getSnapshot();
    store.set({ kind: 'offline', pending: 1 });
    expect(store.getSnapshot()).toBe(first);
    expect(calls).toBe(0);
    store.set({ kind: 'offline', pending: 2 });
    expect(calls).toBe(1);
    expect(store.getSnapshot()).toEqual({ kind: 'offline', pending: 2 });
  });
});
