import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import {
  readGoalBoard,
  readNotes,
  readServicePlan,
  type GoalBoard,
  type NoteTarget,
  type Notes,
  type ServicePlan,
  type Thread,
} from '../core/model/index.ts';
import {
  DocStore,
  PlanSession,
  exportPlan,
  planActions,
  type OpenPlanDocs,
  type PlanActions,
  type PlanFile,
} from '../core/sync/index.ts';
import { browserPlatform } from './platform.ts';
import { useRegistry } from './registry.tsx';
import { SyncProvider } from './sync.tsx';

interface OpenPlan {
  readonly planId: string;
  readonly session: PlanSession;
  readonly actions: PlanActions;
  readonly goals: DocStore<GoalBoard>;
  readonly plan: DocStore<ServicePlan>;
  readonly goalNotes: DocStore<Notes>;
  readonly planNotes: DocStore<Notes>;
  /** Docs written by a newer Varde: shown, not changed. */
  readonly readOnly: boolean;
}

export type PlanState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      readonly planId: string;
      readonly actions: PlanActions;
      readonly readOnly: boolean;
    }
  | { readonly status: 'error'; readonly error: Error };

const PlanContext = createContext<PlanState>({ status: 'loading' });
const OpenContext = createContext<OpenPlan | null>(null);

function open(session: PlanSession, readOnly: boolean): Omit<OpenPlan, 'actions'> {
  const { docs } = session;
  return {
    planId: session.planId,
    session,
    readOnly,
    goals: new DocStore([docs.goals], () => readGoalBoard(docs.goals)),
    plan: new DocStore([docs.plan], () => readServicePlan(docs.plan)),
    goalNotes: new DocStore([docs['goals-notes']], () => readNotes(docs['goals-notes'])),
    planNotes: new DocStore([docs['plan-notes']], () => readNotes(docs['plan-notes'])),
  };
}

/**
 * Opens one plan's docs from this device for everything below it and, when the plan is
 * shared, connects it to its server. The popup, which never connects, does not use it
 * (`CrisisPlanProvider`).
 */
export function PlanProvider({ planId, children }: { planId: string; children: ReactNode }) {
  const registry = useRegistry();
  // Who writes: the member id once the plan is shared, `local` before.
  const by =
    (registry.status === 'ready'
      ? registry.registry.plans.find((p) => p.planId === planId)?.access?.memberId
      : undefined) ?? 'local';
  const [state, setState] = useState<{ open: Omit<OpenPlan, 'actions'> | null; error: Error | null }>({
    open: null,
    error: null,
  });
  useEffect(() => {
    const session = new PlanSession(planId, browserPlatform);
    let opened: Omit<OpenPlan, 'actions'> | null = null;
    let live = true;
    void session.ready.then((ready) => {
      if (!live) return;
      if (ready.status === 'error') setState({ open: null, error: ready.error });
      else {
        opened = open(session, ready.status === 'ready' && ready.newerSchema.length > 0);
        setState({ open: opened, error: null });
      }
    });
    return () => {
      live = false;
      for (const store of opened ? [opened.goals, opened.plan, opened.goalNotes, opened.planNotes] : [])
        store.destroy();
      setState({ open: null, error: null });
      void session.destroy();
    };
  }, [planId]);
  const opened = useMemo(
    (): OpenPlan | null =>
      state.open ? { ...state.open, actions: planActions(state.open.session.docs, by) } : null,
    [state.open, by],
  );
  const planState: PlanState = useMemo(
    () =>
      state.error
        ? { status: 'error', error: state.error }
        : opened
          ? { status: 'ready', planId: opened.planId, actions: opened.actions, readOnly: opened.readOnly }
          : { status: 'loading' },
    [state.error, opened],
  );
  return (
    <OpenContext.Provider value={opened}>
      <PlanContext.Provider value={planState}>
        <SyncProvider planId={planId} docs={opened?.session.docs ?? null}>
          {children}
        </SyncProvider>
      </PlanContext.Provider>
    </OpenContext.Provider>
  );
}

/** Whether the current plan is open, and the commands to change it. */
export function usePlan(): PlanState {
  return useContext(PlanContext);
}

function useOpen(): OpenPlan {
  const opened = useContext(OpenContext);
  if (!opened) throw new Error('usePlan… hooks need a ready PlanProvider above them');
  return opened;
}

/** Commands on the open plan. Only for components rendered once `usePlan()` is ready. */
export function usePlanActions(): PlanActions {
  return useOpen().actions;
}

export function useGoalBoard(): GoalBoard {
  const { goals } = useOpen();
  return useSyncExternalStore(goals.subscribe, goals.getSnapshot);
}

export function useServicePlan(): ServicePlan {
  const { plan } = useOpen();
  return useSyncExternalStore(plan.subscribe, plan.getSnapshot);
}

/** Notes of the goal board (`goals`) or of the service plan (`plan`). */
export function useNotes(scope: 'goals' | 'plan'): Notes {
  const opened = useOpen();
  const store = scope === 'goals' ? opened.goalNotes : opened.planNotes;
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

const scopeOf = (target: NoteTarget) =>
  target.kind === 'section' || target.kind === 'contact' ? 'plan' : 'goals';

/** Threads on one goal, step, section, …; oldest first. */
export function useThreads(target: NoteTarget): readonly Thread[] {
  const notes = useNotes(scopeOf(target));
  return notes.threads.filter((t) => t.target.kind === target.kind && t.target.id === target.id);
}

/** Export of the open plan (import: hooks/import.ts). */
export function usePlanExchange(): { exportFile: (name: string) => PlanFile } {
  const { session, planId } = useOpen();
  return { exportFile: (name) => exportPlan(session.docs, planId, name) };
}

/**
 * The plan open in this page, or null when there is none (or it is still loading), for hooks/
 * that write to it as a whole (an import merges into it). Not for components.
 */
export function useOpenPlanDocs(): OpenPlanDocs | null {
  const opened = useContext(OpenContext);
  return useMemo(
    () => (opened ? { planId: opened.planId, docs: opened.session.docs, readOnly: opened.readOnly } : null),
    [opened],
  );
}
