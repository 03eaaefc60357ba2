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
  setCurrentPlan,
  setLocale,
  type Locale,
  type Registry,
} from '../core/sync/index.ts';
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
    joinPlan: async (input: { invite: string; server?: string; name: string; planName?: string }) => {
      const plan = await joinPlan(browserPlatform, browserRemote.fetch, session.doc, input);
      const id = plan.planId;
      await plan.destroy();
      return id;
    },
    switchPlan: (planId: string) => setCurrentPlan(session.doc, planId),
    renamePlan: (planId: string, name: string) => renamePlanEntry(session.doc, planId, name),
    forgetPlan: (planId: string) => removePlanEntry(session.doc, planId),
    setLocale: (locale: Locale | null) => setLocale(session.doc, locale),
  };
}

export type RegistryActions = ReturnType<typeof registryActions>;

export type RegistryState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly registry: Registry; readonly actions: RegistryActions };

interface Opened {
  session: RegistrySession;
  store: DocStore<Registry>;
  actions: RegistryActions;
}

const RegistryContext = createContext<Opened | null>(null);

/** Opens this device's plan registry once per page. */
export function RegistryProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState<Opened | null>(null);
  useEffect(() => {
    const session = new RegistrySession(browserPlatform);
    const store = new DocStore([session.doc], () => readRegistry(session.doc));
    let live = true;
    void session.ready.then(() => {
      if (live) setOpened({ session, store, actions: registryActions(session) });
    });
    return () => {
      live = false;
      store.destroy();
      void session.destroy();
    };
  }, []);
  return <RegistryContext.Provider value={opened}>{children}</RegistryContext.Provider>;
}

/**
 * The registry session itself, for hooks/ that read or write a plan's membership (the member
 * secret is never part of `useRegistry()`'s read model). Not for components.
 */
export function useRegistrySession(): RegistrySession | null {
  return useContext(RegistryContext)?.session ?? null;
}

const noop = () => () => {};

export function useRegistry(): RegistryState {
  const opened = useContext(RegistryContext);
  const registry = useSyncExternalStore(
    opened?.store.subscribe ?? noop,
    () => opened?.store.getSnapshot() ?? null,
  );
  return useMemo(
    () =>
      opened && registry ? { status: 'ready', registry, actions: opened.actions } : { status: 'loading' },
    [opened, registry],
  );
}
