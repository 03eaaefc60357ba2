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
  DocStore,
  RegistrySession,
  createPlan,
  joinPlan,
  readRegistry,
  removePlanEntry,
  renamePlanEntry,
  setCountry,
  setCurrentPlan,
  setLocale,
  type JoinInput,
  type Locale,
  type Registry,
} from '../core/sync/index.ts';
import type { Country } from '../core/access/index.ts';
import { browserPlatform, browserRemote } from './platform.ts';

function registryActions(session: RegistrySession) {
  return {
    /** Creates a plan on this device and makes it current; resolves with its id. */
    createPlan: async (name: string) => {
      const plan = await createPlan(browserPlatform, session.doc, name);
      const id = plan.planId;
      await plan.destroy();
      return id;
    },
    /**
     * Joins a shared plan with an invite link (or a bare code and `server`), makes it current
     * and resolves with its id. Throws ApiError / ClientError with a `reason`.
     */
    joinPlan: async (input: JoinInput) => {
      const plan = await joinPlan(browserPlatform, browserRemote.fetch, session.doc, input);
      const id = plan.planId;
      await plan.destroy();
      return id;
    },
    switchPlan: (planId: string) => setCurrentPlan(session.doc, planId),
    renamePlan: (planId: string, name: string) => renamePlanEntry(session.doc, planId, name),
    forgetPlan: (planId: string) => removePlanEntry(session.doc, planId),
    setLocale: (locale: Locale | null) => setLocale(session.doc, locale),
    setCountry: (country: Country | null) => setCountry(session.doc, country),
  };
}

export type RegistryActions = ReturnType<typeof registryActions>;

export type RegistryState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly registry: Registry; readonly actions: RegistryActions }
  | { readonly status: 'error'; readonly error: Error };

interface Opened {
  session: RegistrySession;
  store: DocStore<Registry>;
  actions: RegistryActions;
}

/** The opened registry, or why it could not be opened (null while it loads). */
type Context = { readonly opened: Opened } | { readonly error: Error } | null;

const RegistryContext = createContext<Context>(null);

/**
 * Where every page notes the current plan's id for the popup, which reads it before the
 * registry has loaded and opens that plan's docs meanwhile (`hooks/crisis.tsx`). Only a hint:
 * the registry decides, so a stale or missing note costs time, never a wrong card.
 */
const CURRENT_PLAN_HINT = 'varde:currentPlanId';

/** The current plan as last noted on this device, or null (none, or storage unavailable). */
export function currentPlanHint(): string | null {
  try {
    return localStorage.getItem(CURRENT_PLAN_HINT);
  } catch {
    return null;
  }
}

function noteCurrentPlan(planId: string | null): void {
  try {
    if (planId === null) localStorage.removeItem(CURRENT_PLAN_HINT);
    else if (localStorage.getItem(CURRENT_PLAN_HINT) !== planId)
      localStorage.setItem(CURRENT_PLAN_HINT, planId);
  } catch {
    // Without storage the popup waits for the registry, as it would on first use.
  }
}

/**
 * Opens this device's plan registry once per page, or uses `session` when the page opened it
 * before rendering (the popup does, to load it beside the plan); that one stays open.
 */
export function RegistryProvider({
  session: given,
  children,
}: {
  session?: RegistrySession;
  children: ReactNode;
}) {
  const [opened, setOpened] = useState<Context>(null);
  useEffect(() => {
    const session = given ?? new RegistrySession(browserPlatform);
    const store = new DocStore([session.doc], () => readRegistry(session.doc));
    // Every page keeps the hint true, whichever page or device changed the registry.
    const unsubscribe = store.subscribe(() => noteCurrentPlan(store.getSnapshot().currentPlanId));
    let live = true;
    void session.ready.then((state) => {
      if (!live) return;
      if (state.status === 'error') return setOpened({ error: state.error });
      noteCurrentPlan(store.getSnapshot().currentPlanId);
      setOpened({ opened: { session, store, actions: registryActions(session) } });
    });
    return () => {
      live = false;
      unsubscribe();
      store.destroy();
      if (!given) void session.destroy();
    };
  }, [given]);
  return <RegistryContext.Provider value={opened}>{children}</RegistryContext.Provider>;
}

/**
 * The registry session itself, for hooks/ that read or write a plan's membership (the member
 * secret is never part of `useRegistry()`'s read model). Not for components.
 */
export function useRegistrySession(): RegistrySession | null {
  const context = useContext(RegistryContext);
  return context && 'opened' in context ? context.opened.session : null;
}

const noop = () => () => {};

/** This device's plan registry and the commands on it, once loaded (or why it could not be). */
export function useRegistry(): RegistryState {
  const context = useContext(RegistryContext);
  const opened = context && 'opened' in context ? context.opened : null;
  const error = context && 'error' in context ? context.error : null;
  const registry = useSyncExternalStore(
    opened?.store.subscribe ?? noop,
    () => opened?.store.getSnapshot() ?? null,
  );
  return useMemo(
    () =>
      error
        ? { status: 'error', error }
        : opened && registry
          ? { status: 'ready', registry, actions: opened.actions }
          : { status: 'loading' },
    [opened, registry, error],
  );
}
