/**
 * The owner's activity log of the open plan (core/sync/audit.ts): loaded when a component that
 * uses it mounts, one page at a time. Needs a PlanProvider above it and a shared plan.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AuditLogReader, type AuditEntry } from '../core/sync/audit.ts';
import { ClientError, SyncApi, readPlanSecret, type Member } from '../core/sync/index.ts';
import { browserRemote } from './platform.ts';
import { usePlan } from './plan.tsx';
import { useRegistry, useRegistrySession } from './registry.tsx';

export type AuditLogState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      /** Oldest first, as far as loaded. */
      readonly entries: readonly AuditEntry[];
      /** Every member ever (removed ones too), by id, for their names. */
      readonly members: ReadonlyMap<string, Member>;
      /** More events wait on the server. */
      readonly more: boolean;
      readonly loadingMore: boolean;
      /** The last "load more" failed (ApiError / ClientError with a `reason`). */
      readonly moreError: unknown;
    }
  | { readonly status: 'error'; readonly error: unknown };

export interface AuditLog {
  readonly state: AuditLogState;
  loadMore(): void;
  /** Starts again from the first page (after an error). */
  retry(): void;
}

/** The open plan's activity log, for its owner. Errors carry the server's or client's `reason`. */
export function useAuditLog(): AuditLog {
  const plan = usePlan();
  const registry = useRegistry();
  const session = useRegistrySession();
  const planId = plan.status === 'ready' ? plan.planId : null;
  const server =
    registry.status === 'ready'
      ? (registry.registry.plans.find((p) => p.planId === planId)?.server ?? null)
      : null;
  const secret = planId && session ? readPlanSecret(session.doc, planId) : null;
  const registryReady = registry.status === 'ready' && session !== null && planId !== null;
  const [attempt, setAttempt] = useState(0);
  // The state belongs to one plan, server and attempt; anything else is still loading.
  const key = `${planId}|${server}|${attempt}`;
  const [loaded, setLoaded] = useState<{ key: string; state: AuditLogState } | null>(null);
  const setState = useCallback(
    (update: (s: AuditLogState) => AuditLogState) =>
      setLoaded((l) => (l && l.key === key ? { key, state: update(l.state) } : l)),
    [key],
  );
  const reader = useRef<AuditLogReader | null>(null);

  useEffect(() => {
    reader.current = null;
    if (!planId || !server || !secret) return;
    let live = true;
    const made = new AuditLogReader(new SyncApi(server, browserRemote.fetch), planId, secret);
    void Promise.all([made.members(), made.next()]).then(
      ([members, page]) => {
        if (!live) return;
        reader.current = made;
        setLoaded({
          key,
          state: {
            status: 'ready',
            entries: page.entries,
            members,
            more: page.more,
            loadingMore: false,
            moreError: null,
          },
        });
      },
      (error: unknown) => {
        if (live) setLoaded({ key, state: { status: 'error', error } });
      },
    );
    return () => {
      live = false;
    };
  }, [planId, server, secret, key]);

  const loadMore = useCallback(() => {
    const current = reader.current;
    if (!current) return;
    setState((s) => (s.status === 'ready' ? { ...s, loadingMore: true, moreError: null } : s));
    void current.next().then(
      (page) => {
        if (reader.current !== current) return;
        setState((s) =>
          s.status === 'ready'
            ? { ...s, entries: [...s.entries, ...page.entries], more: page.more, loadingMore: false }
            : s,
        );
      },
      (error: unknown) => {
        if (reader.current !== current) return;
        setState((s) => (s.status === 'ready' ? { ...s, loadingMore: false, moreError: error } : s));
      },
    );
  }, [setState]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const notShared = registryReady && (!server || !secret);
  const state: AuditLogState = notShared
    ? { status: 'error', error: new ClientError('notShared', 'the plan is not shared') }
    : loaded?.key === key
      ? loaded.state
      : { status: 'loading' };
  return { state, loadMore, retry };
}
