/**
 * Sync hooks: status, access, presence, collaboration carets, sharing and joining. The
 * open plan's `PlanProvider` renders `SyncProvider`, which connects the plan to its server
 * when the registry entry names one (never in the popup). docs/sync-client.md.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { InviteRole, Levels, PermissionDeniedReason, Role } from '../core/access/index.ts';
import {
  ClientError,
  SyncApi,
  ValueStore,
  LOCAL_ACCESS,
  inviteLink,
  readPlanSecret,
  sharePlan,
  type JoinInput,
  type Member,
  type MemberAccess,
  type Peer,
  type PlanDocs,
  type PlanEntry,
  type SyncStatus,
} from '../core/sync/index.ts';
import type { PlanRemote } from '../core/sync/remote.ts';
import { browserRemote } from './platform.ts';
import { useRegistry, useRegistrySession } from './registry.tsx';

export interface Collaboration {
  /** The y-protocols Awareness of the doc that holds the fragment. */
  readonly awareness: unknown;
  readonly user: { readonly name: string; readonly color: string };
}

/** The owner's sharing controls for the open plan. Errors are ApiError / ClientError (`reason`). */
export interface Sharing {
  /** null = the plan is not shared yet. */
  readonly server: string | null;
  /** Registers the plan on the server (the device becomes its owner), stores the membership, connects. */
  /** `registrationCode`: from the server's operator, for a server that asks for one. */
  share(serverUrl: string, ownerName: string, registrationCode?: string): Promise<void>;
  createInvite(input: {
    role: InviteRole;
    levels?: Levels;
    expiresInSeconds?: number;
  }): Promise<{ code: string; link: string }>;
  listMembers(): Promise<Member[]>;
  updateMember(memberId: string, patch: { role?: Role; levels?: Levels }): Promise<void>;
  revokeMember(memberId: string): Promise<void>;
}

/**
 * Joins with an invite: the link, or a bare code plus a server URL. `planName` is how the
 * plan is called on this device (default: the server's host). Resolves with the plan id,
 * which is then the current plan.
 */
export type Join = (input: JoinInput) => Promise<string>;

interface SyncContextValue {
  readonly planId: string | null;
  readonly entry: PlanEntry | null;
  readonly remote: PlanRemote | null;
}

const SyncContext = createContext<SyncContextValue>({
  planId: null,
  entry: null,
  remote: null,
});

/**
 * Connects the open plan to its server while the registry entry has a server and secret;
 * rendered by `PlanProvider`. `docs` is null until the plan is open.
 */
export function SyncProvider({
  planId,
  docs,
  children,
}: {
  planId: string;
  docs: PlanDocs | null;
  children: ReactNode;
}) {
  const registry = useRegistry();
  const registrySession = useRegistrySession();
  const entry =
    registry.status === 'ready' ? (registry.registry.plans.find((p) => p.planId === planId) ?? null) : null;
  const server = entry?.server ?? null;
  const memberId = entry?.access?.memberId ?? null;
  const [remote, setRemote] = useState<PlanRemote | null>(null);
  useEffect(() => {
    if (!docs || !server || !memberId || !registrySession) return;
    let live = true;
    let made: PlanRemote | null = null;
    // Loaded on demand: pages that never connect do not carry y-websocket.
    void import('../core/sync/connect.ts').then(({ connectPlan }) => {
      if (!live) return;
      made = connectPlan({ registry: registrySession.doc, planId, docs, platform: browserRemote });
      setRemote(made);
    });
    return () => {
      live = false;
      made?.destroy();
      setRemote(null);
    };
  }, [docs, server, memberId, planId, registrySession]);
  const value = useMemo(() => ({ planId, entry, remote }), [planId, entry, remote]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

const LOCAL_STATUS = new ValueStore<SyncStatus>({ kind: 'local' });
const STARTING_STATUS = new ValueStore<SyncStatus>({ kind: 'connecting', pending: 0 });
const NO_ACCESS = new ValueStore<MemberAccess | null>(null);
const NOT_DENIED = new ValueStore<PermissionDeniedReason | null>(null);
const NOBODY = new ValueStore<readonly Peer[]>([]);

function useValue<T>(store: ValueStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Honest, always-visible sync status of the open plan. */
export function useSyncStatus(): SyncStatus {
  const { entry, remote } = useContext(SyncContext);
  return useValue(remote?.status ?? (entry?.server ? STARTING_STATUS : LOCAL_STATUS));
}

/**
 * What the person may do in the open plan, as the server last said (else as this device
 * knew). A plan that is not shared: `LOCAL_ACCESS` (its maker, who may do everything).
 */
export function useAccess(): MemberAccess {
  const { entry, remote } = useContext(SyncContext);
  const live = useValue(remote?.access ?? NO_ACCESS);
  const known = live ?? entry?.access ?? null;
  return useMemo(
    () => known ?? LOCAL_ACCESS,
    // The fields, not the object: the entry's access is rebuilt on every registry change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [
      known?.memberId,
      known?.role,
      known?.levels.goals,
      known?.levels.plan,
      known?.name,
      known?.color,
      known?.isOwner,
    ],
  );
}

/** Why the server last dropped a write (null: it did not): show a calm notice. */
export function useWriteDenied(): PermissionDeniedReason | null {
  const { remote } = useContext(SyncContext);
  return useValue(remote?.writeDenied ?? NOT_DENIED);
}

/** Who is here now (server-stamped presence across the four docs), deduped by member id. */
export function usePresence(): readonly Peer[] {
  const { remote } = useContext(SyncContext);
  return useValue(remote?.presence ?? NOBODY);
}

/** For carets in RichTextEditor: the awareness of the doc holding the fragment, or null when not connected. */
export function useCollaboration(doc: 'goals' | 'plan'): Collaboration | null {
  const { remote } = useContext(SyncContext);
  const { name, color } = useAccess();
  return useMemo(
    () => (remote ? { awareness: remote.awarenessOf(doc), user: { name, color } } : null),
    [remote, doc, name, color],
  );
}

/** The owner's sharing controls for the open plan (needs a PlanProvider above). */
export function useSharing(): Sharing {
  const { planId, entry } = useContext(SyncContext);
  const registrySession = useRegistrySession();
  const server = entry?.server ?? null;
  return useMemo(() => {
    const shared = () => {
      const secret = planId && registrySession ? readPlanSecret(registrySession.doc, planId) : null;
      if (!planId || !server || !secret) throw new ClientError('notShared', 'the plan is not shared');
      return { planId, api: new SyncApi(server, browserRemote.fetch), secret };
    };
    return {
      server,
      share: async (serverUrl, ownerName, registrationCode) => {
        if (!planId || !registrySession) throw new ClientError('notShared', 'no plan is open');
        await sharePlan(browserRemote.fetch, registrySession.doc, planId, {
          server: serverUrl,
          ownerName,
          registrationCode,
        });
      },
      createInvite: async (input) => {
        const { planId: id, api, secret } = shared();
        const invite = await api.createInvite(id, secret, input);
        return { code: invite.code, link: inviteLink(api.server, invite.code) };
      },
      listMembers: async () => {
        const { planId: id, api, secret } = shared();
        return api.members(id, secret);
      },
      updateMember: async (memberId, patch) => {
        const { planId: id, api, secret } = shared();
        await api.updateMember(id, secret, memberId, patch);
      },
      revokeMember: async (memberId) => {
        const { planId: id, api, secret } = shared();
        await api.revokeMember(id, secret, memberId);
      },
    };
  }, [planId, server, registrySession]);
}

/** Join with an invite; works without any open plan (uses the registry). */
export function useJoin(): Join {
  const state = useRegistry();
  const actions = state.status === 'ready' ? state.actions : null;
  return useCallback(
    async (input) => {
      if (!actions) throw new Error('the plan registry is not open yet');
      return actions.joinPlan(input);
    },
    [actions],
  );
}
