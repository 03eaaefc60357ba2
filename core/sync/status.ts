/**
 * What the person is told about sync and who is here, computed from the state of the plan's
 * connections. Pure functions, so the rules are tested without sockets
 * (tests/unit/sync-status.test.ts).
 */
import { MAX_NAME_UNITS, isRole, type Levels, type Role } from '../access/index.ts';
import type { DocName } from '../model/index.ts';

/** Why the server refused this device; the local copy stays. */
export type RefusedReason = 'revoked' | 'noAccess' | 'planDeleted' | 'signInFailed';

/** Honest, always-visible sync status of the open plan (DESIGN.md "Client"). */
export type SyncStatus =
  | { readonly kind: 'local' }
  | { readonly kind: 'connecting'; readonly pending: number }
  | { readonly kind: 'synced'; readonly at: string }
  | { readonly kind: 'offline'; readonly pending: number }
  | { readonly kind: 'refused'; readonly reason: RefusedReason };

/** The device's own membership as the server last told it. */
export interface MemberAccess {
  readonly memberId: string;
  readonly role: Role;
  readonly levels: Levels;
  readonly name: string;
  readonly color: string;
  readonly isOwner: boolean;
}

/** A colour for carets and presence when none is known (an entry from an older Varde). */
export const FALLBACK_COLOR = '#666666';

/**
 * The access of a plan that is not shared: the person who made it on this device, who may do
 * everything. Not a member of any server (no member id).
 */
export const LOCAL_ACCESS: MemberAccess = {
  memberId: '',
  role: 'participant',
  levels: { goals: 'edit', plan: 'edit' },
  name: '',
  color: FALLBACK_COLOR,
  isOwner: true,
};

/** Someone here now, deduped by member id across the plan's four docs. */
export interface Peer {
  readonly memberId: string;
  readonly name: string;
  readonly role: Role;
  readonly color: string;
  readonly self: boolean;
}

/** One doc's connection, as the status needs it. */
export interface LinkState {
  readonly doc: DocName;
  /** Connected and the server's state received (y-websocket `synced`). */
  readonly synced: boolean;
  /** A connection attempt failed or dropped since this doc was last synced. */
  readonly failed: boolean;
  /** Local changes made since this doc was last synced: they wait on this device. */
  readonly pending: number;
}

export interface RemoteCondition {
  readonly refused: RefusedReason | null;
  /** The last token request found no server (network down, server stopped). */
  readonly unreachable: boolean;
  /** Links of the docs this member may read; the others are not connected at all. */
  readonly links: readonly LinkState[];
  /** ISO time of the last moment every link was synced, or of an exchange since. */
  readonly syncedAt: string | null;
}

/**
 * - refused wins: reconnecting cannot help, so nothing else matters;
 * - synced when every readable doc is synced (changes made now go out at once);
 * - offline once an attempt failed (or no server answered the token request), with the
 *   changes waiting on this device;
 * - connecting otherwise (first attempt under way).
 */
export function aggregateStatus(c: RemoteCondition): SyncStatus {
  if (c.refused) return { kind: 'refused', reason: c.refused };
  const pending = c.links.reduce((sum, l) => sum + l.pending, 0);
  if (c.links.length > 0 && c.links.every((l) => l.synced) && c.syncedAt)
    return { kind: 'synced', at: c.syncedAt };
  if (c.unreachable || c.links.some((l) => l.failed && !l.synced)) return { kind: 'offline', pending };
  return { kind: 'connecting', pending };
}

/** Reads the server-stamped `user` of an awareness state; null when it is not one. */
export function presenceUser(state: unknown): Omit<Peer, 'self'> | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return null;
  const { memberId, name, role, color } = user as Record<string, unknown>;
  if (typeof memberId !== 'string' || typeof name !== 'string' || typeof color !== 'string' || !isRole(role))
    return null;
  // The server stamps names it checked (at most MAX_NAME_UNITS); cut only what no server sends.
  return { memberId, name: name.slice(0, MAX_NAME_UNITS), role, color: color.slice(0, 32) };
}

/**
 * Everyone present in any of the docs, once each; the device's own member first (also when
 * no other state mentions it), then by name.
 */
export function aggregatePresence(states: Iterable<unknown>, self: MemberAccess | null): Peer[] {
  const byId = new Map<string, Peer>();
  if (self) byId.set(self.memberId, { ...pick(self), self: true });
  for (const state of states) {
    const user = presenceUser(state);
    if (user && !byId.has(user.memberId)) byId.set(user.memberId, { ...user, self: false });
  }
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.memberId.localeCompare(b.memberId),
  );
}

const pick = (a: MemberAccess) => ({ memberId: a.memberId, name: a.name, role: a.role, color: a.color });

/** A value for `useSyncExternalStore`: the same object until it really changes. */
export class ValueStore<T> {
  private readonly listeners = new Set<() => void>();

  constructor(
    private value: T,
    private readonly equal: (a: T, b: T) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): T => this.value;

  set(value: T): void {
    if (this.equal(this.value, value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  clear(): void {
    this.listeners.clear();
  }
}
