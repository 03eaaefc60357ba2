import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import {
  isPlanId,
  readGoalBoard,
  readServicePlan,
  type GoalBoard,
  type ServicePlan,
} from '../core/model/index.ts';
import { DocStore, PlanReader, RegistrySession, type ReadDoc } from '../core/sync/index.ts';
import { browserPlatform } from './platform.ts';
import { currentPlanHint } from './registry.tsx';

/**
 * The crisis card's data (the popup): the service plan first, the goal board after the card
 * has been painted, never the notes, read-only. docs/architecture.md, "The popup crisis card".
 */

/** What the popup opens before React renders, so loading starts with the page's scripts. */
export interface CrisisStart {
  readonly registry: RegistrySession;
  /**
   * The service plan of the plan the registry last named current on this device, opened
   * beside the registry instead of after it. Taken once, and only for that plan id: the
   * registry decides which plan the card shows; a stale guess is closed.
   */
  readonly take: (planId: string) => PlanReader | null;
  /** Closes the guess when no plan is shown (the registry holds none). */
  readonly drop: () => void;
}

export function startCrisis(): CrisisStart {
  const registry = new RegistrySession(browserPlatform);
  const hint = currentPlanHint();
  let guess: PlanReader | null = null;
  if (isPlanId(hint)) {
    guess = new PlanReader(hint, browserPlatform);
    guess.open('plan');
  }
  const take = (planId: string | null) => {
    const taken = guess;
    guess = null;
    if (taken && taken.planId === planId) return taken;
    void taken?.destroy();
    return null;
  };
  return { registry, take, drop: () => void take(null) };
}

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly error: Error };

type Slot<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly store: DocStore<T> }
  | { readonly status: 'error'; readonly error: Error };

interface Crisis {
  readonly plan: Slot<ServicePlan>;
  readonly goals: Slot<GoalBoard>;
}

const loading = { status: 'loading' } as const;
const CrisisContext = createContext<Crisis>({ plan: loading, goals: loading });

function load<T>(opened: ReadDoc, read: (doc: ReadDoc['doc']) => T, set: (slot: Slot<T>) => void) {
  let store: DocStore<T> | null = null;
  let live = true;
  void opened.ready.then((state) => {
    if (!live) return;
    if (state.status === 'error') set({ status: 'error', error: state.error });
    else {
      store = new DocStore([opened.doc], () => read(opened.doc));
      set({ status: 'ready', store });
    }
  });
  return () => {
    live = false;
    store?.destroy();
  };
}

/**
 * Runs `then` once the browser has painted what is committed now: the next frame, then a
 * task. A page in the background paints no frames, so a timer stands in.
 */
function afterPaint(then: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    then();
  };
  let timer = setTimeout(run, 200);
  const frame = requestAnimationFrame(() => {
    clearTimeout(timer);
    timer = setTimeout(run, 0);
  });
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * Opens one plan for the crisis card: its service plan at once (who to call, the red zone),
 * and its goal board (the next steps) only after the card with the service plan is painted,
 * so decoding the board never delays the phone numbers. Takes the plan from `preopened`
 * when the page opened it before rendering (`CrisisStart.take`). Never connects to a server.
 */
export function CrisisPlanProvider({
  planId,
  preopened,
  children,
}: {
  planId: string;
  preopened?: (planId: string) => PlanReader | null;
  children: ReactNode;
}) {
  const reader = useRef<PlanReader | null>(null);
  const [plan, setPlan] = useState<Slot<ServicePlan>>(loading);
  const [goals, setGoals] = useState<Slot<GoalBoard>>(loading);
  useEffect(() => {
    const opened = preopened?.(planId) ?? new PlanReader(planId, browserPlatform);
    reader.current = opened;
    const stop = load(opened.open('plan'), readServicePlan, setPlan);
    return () => {
      stop();
      reader.current = null;
      setPlan(loading);
      setGoals(loading);
      void opened.destroy();
    };
  }, [planId, preopened]);
  const planShown = plan.status !== 'loading';
  useEffect(() => {
    const opened = reader.current;
    if (!opened || !planShown) return;
    let stop = () => {};
    const cancel = afterPaint(() => {
      stop = load(opened.open('goals'), readGoalBoard, setGoals);
    });
    return () => {
      cancel();
      stop();
    };
  }, [planShown]);
  return <CrisisContext.Provider value={{ plan, goals }}>{children}</CrisisContext.Provider>;
}

const noop = () => () => {};

function useLoaded<T>(slot: Slot<T>): Loaded<T> {
  const store = slot.status === 'ready' ? slot.store : null;
  const value = useSyncExternalStore(store?.subscribe ?? noop, () => store?.getSnapshot() ?? null);
  if (slot.status === 'error') return slot;
  return value === null ? loading : { status: 'ready', value };
}

/** The open plan's service plan, live. */
export function useCrisisServicePlan(): Loaded<ServicePlan> {
  return useLoaded(useContext(CrisisContext).plan);
}

/** The open plan's goal board, live; it loads after the service plan. */
export function useCrisisGoalBoard(): Loaded<GoalBoard> {
  return useLoaded(useContext(CrisisContext).goals);
}
